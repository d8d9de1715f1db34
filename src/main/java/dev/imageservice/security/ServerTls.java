package dev.imageservice.security;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS setup both transports serve: one reloading server key, and optionally the CAs whose
 * client certificates are required (mutual TLS).
 */
public final class ServerTls {
    private final ReloadingKeyManager keys;
    private final Optional<KeyStore> clientCas;

    ServerTls(ReloadingKeyManager keys, Optional<KeyStore> clientCas) {
        this.keys = keys;
        this.clientCas = clientCas;
    }

    /** Whether clients must present a certificate signed by one of the configured CAs. */
    public boolean requiresClientCertificate() {
        return clientCas.isPresent();
    }

    public ReloadingKeyManager keys() {
        return keys;
    }

    /** The JDK context Jetty serves HTTPS with. */
    public SSLContext jdkContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The Netty context the gRPC server serves with (HTTP/2 with ALPN, as gRPC requires). */
    public SslContext grpcContext() {
        try {
            SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(keys));
            if (clientCas.isPresent()) {
                builder.trustManager(trustManagerFactory()).clientAuth(ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (SSLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for gRPC: " + e.getMessage(), e);
        }
    }

    private TrustManager[] trustManagers() throws GeneralSecurityException {
        return clientCas.isPresent() ? trustManagerFactory().getTrustManagers() : null;
    }

    private TrustManagerFactory trustManagerFactory() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(clientCas.orElseThrow());
        return factory;
    }
}
