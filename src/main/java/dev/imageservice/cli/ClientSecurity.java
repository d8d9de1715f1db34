package dev.imageservice.cli;

import dev.imageservice.security.PemFiles;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * How the {@code client} and {@code bench} commands reach a secured service: TLS (trusting the
 * system's CAs or the ones of {@code --ca-file}), a client certificate for mutual TLS, and an API
 * key sent as {@code authorization: Bearer <key>}.
 *
 * @param caFile   PEM CAs to trust instead of the system's, or null
 * @param certFile PEM client certificate (mutual TLS), or null
 * @param keyFile  PEM key of the client certificate, or null
 * @param apiKey   the API key, or null
 */
public record ClientSecurity(boolean tls, Path caFile, Path certFile, Path keyFile, String apiKey) {
    /** The environment variable the commands read the API key from when --api-key is not given. */
    public static final String API_KEY_ENV = "IMAGE_SERVICE_API_KEY";
    public static final ClientSecurity NONE = new ClientSecurity(false, null, null, null, null);

    public ClientSecurity {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("give --cert-file and --key-file together");
        }
        if (!tls && (caFile != null || certFile != null)) {
            throw new IllegalArgumentException("--ca-file, --cert-file and --key-file need --tls");
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
    }

    /** Adds --tls, --ca-file, --cert-file, --key-file and --api-key. */
    public static void configure(Subparser subparser) {
        subparser.addArgument("--tls").action(Arguments.storeTrue())
                .help("connect with TLS (gRPC over TLS, HTTP as https)");
        subparser.addArgument("--ca-file").dest("caFile")
                .help("PEM CA certificates to trust instead of the system's (e.g. a self-signed server certificate)");
        subparser.addArgument("--cert-file").dest("certFile").help("PEM client certificate, for mutual TLS");
        subparser.addArgument("--key-file").dest("keyFile").help("PEM key of the client certificate");
        subparser.addArgument("--api-key").dest("apiKey")
                .help("API key, sent as 'authorization: Bearer <key>' (default: env " + API_KEY_ENV + ")");
    }

    /** The settings given on the command line (the API key also from the environment). */
    public static ClientSecurity of(Namespace namespace) {
        String apiKey = namespace.getString("apiKey");
        return new ClientSecurity(Boolean.TRUE.equals(namespace.getBoolean("tls")), path(namespace.getString("caFile")),
                path(namespace.getString("certFile")), path(namespace.getString("keyFile")),
                apiKey != null ? apiKey : System.getenv(API_KEY_ENV));
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }

    /** Sets up TLS (or plaintext) and the API key on a gRPC channel. */
    public NettyChannelBuilder applyTo(NettyChannelBuilder builder) {
        if (!tls) {
            builder.usePlaintext();
        } else {
            try {
                SslContextBuilder ssl = GrpcSslContexts.forClient();
                if (caFile != null) {
                    ssl.trustManager(PemFiles.certificates(caFile));
                }
                if (certFile != null) {
                    ssl.keyManager(PemFiles.privateKey(keyFile), PemFiles.certificates(certFile));
                }
                builder.useTransportSecurity().sslContext(ssl.build());
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
            }
        }
        if (apiKey != null) {
            builder.intercept(new io.grpc.ClientInterceptor() {
                @Override
                public <ReqT, RespT> io.grpc.ClientCall<ReqT, RespT> interceptCall(io.grpc.MethodDescriptor<ReqT, RespT> method,
                        io.grpc.CallOptions options, io.grpc.Channel next) {
                    return next.newCall(method, options.withCallCredentials(bearer()));
                }
            });
        }
        return builder;
    }

    private CallCredentials bearer() {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
                applier.apply(headers);
            }
        };
    }

    /** The JDK TLS context for HTTPS, or null for the JDK's default. */
    public SSLContext httpSslContext() {
        if (!tls || (caFile == null && certFile == null)) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (caFile != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(PemFiles.trustStore(caFile));
            }
            KeyManagerFactory keys = null;
            if (certFile != null) {
                KeyStore store = PemFiles.keyStore(certFile, keyFile);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Adds the API key to an HTTP request. */
    public HttpRequest.Builder applyTo(HttpRequest.Builder request) {
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }
}
