package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.CliRun;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestCertificates;
import dev.imageservice.testing.TestCertificates.Authority;
import dev.imageservice.testing.TestCertificates.Leaf;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS_CLIENT_CA_FILE: both transports serve only clients with a certificate signed by that CA. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MutualTlsIntegrationTest {
    static final Path CERTS = TestCertificates.tempDir();
    static final Authority CA = TestCertificates.authority(CERTS, "mtls");
    static final Authority OTHER_CA = TestCertificates.authority(CERTS, "stranger");
    static final Leaf SERVER = TestCertificates.server(CERTS, CA, "server");
    static final Leaf CLIENT = TestCertificates.client(CERTS, CA, "client");
    static final Leaf STRANGER = TestCertificates.client(CERTS, OTHER_CA, "stranger-client");

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("security.tls.certFile", SERVER.certFile().toString()),
            ConfigOverride.config("security.tls.keyFile", SERVER.keyFile().toString()),
            ConfigOverride.config("security.tls.clientCaFile", CA.certFile().toString()));

    static final Pixels PHOTO = TestImages.photoLike(40, 30, 3, 8, 9);
    static final byte[] PNG = TestImages.encode(PHOTO, ".png");

    @TempDir
    Path dir;

    @Test
    void grpcServesAClientWithACertificateOfTheCaOnly() throws Exception {
        assertThat(TestImages.decode(processOverGrpc(CLIENT))).isEqualTo(PHOTO.swapped());
        for (Leaf refused : new Leaf[] {null, STRANGER}) {
            assertThatThrownBy(() -> processOverGrpc(refused))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    @Test
    void httpsServesAClientWithACertificateOfTheCaOnly() throws Exception {
        HttpResponse<byte[]> response = postOverHttps(CLIENT);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).isEqualTo(PHOTO.swapped());
        assertThatThrownBy(() -> postOverHttps(null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> postOverHttps(STRANGER)).isInstanceOf(IOException.class);
    }

    @Test
    void clientCommandPresentsItsCertificate() throws Exception {
        Path input = dir.resolve("in.png");
        Path output = dir.resolve("out.png");
        Files.write(input, PNG);
        CliRun cli = new CliRun();

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                "--tls", "--ca-file", CA.certFile().toString(), "--cert-file", CLIENT.certFile().toString(),
                "--key-file", CLIENT.keyFile().toString(), input.toString(), output.toString());

        assertThat(failure).as(cli.stderr()).isEmpty();
        assertThat(TestImages.decode(Files.readAllBytes(output))).isEqualTo(PHOTO.swapped());
    }

    private byte[] processOverGrpc(Leaf clientCert) throws Exception {
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(CA.certFile().toFile());
        if (clientCert != null) {
            ssl.keyManager(PemFiles.privateKey(clientCert.keyFile()), PemFiles.certificates(clientCert.certFile()));
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP))
                .sslContext(ssl.build()).build();
        try {
            return ImageServiceGrpc.newBlockingStub(channel)
                    .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(PNG)).build())
                    .getImageData().toByteArray();
        } finally {
            GrpcTestChannels.close(channel);
        }
    }

    private HttpResponse<byte[]> postOverHttps(Leaf clientCert) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemFiles.trustStore(CA.certFile()));
        KeyManagerFactory keys = null;
        if (clientCert != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(PemFiles.keyStore(clientCert.certFile(), clientCert.keyFile()), new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build().send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                        .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
