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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS on both transports with a certificate made here: the right CA works, a wrong one and plaintext do not. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TlsIntegrationTest {
    static final Path CERTS = TestCertificates.tempDir();
    static final Authority CA = TestCertificates.authority(CERTS, "test");
    static final Authority OTHER_CA = TestCertificates.authority(CERTS, "other");
    static final Leaf SERVER = TestCertificates.server(CERTS, CA, "server");

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("security.tls.certFile", SERVER.certFile().toString()),
            ConfigOverride.config("security.tls.keyFile", SERVER.keyFile().toString()));

    static final Pixels PHOTO = TestImages.photoLike(64, 48, 3, 8, 5);
    static final byte[] PNG = TestImages.encode(PHOTO, ".png");

    @TempDir
    Path dir;

    @Test
    void grpcOverTlsTrustingTheCaProcessesTheImage() throws Exception {
        ManagedChannel channel = tlsChannel(CA);
        try {
            byte[] out = ImageServiceGrpc.newBlockingStub(channel)
                    .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(PNG)).build())
                    .getImageData().toByteArray();
            assertThat(TestImages.decode(out)).isEqualTo(PHOTO.swapped());
        } finally {
            GrpcTestChannels.close(channel);
        }
    }

    @Test
    void grpcRefusesPlaintextAndAWrongCa() throws Exception {
        for (ManagedChannel channel : new ManagedChannel[] {GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP)), tlsChannel(OTHER_CA)}) {
            try {
                assertThatThrownBy(() -> ImageServiceGrpc.newBlockingStub(channel)
                        .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(PNG)).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                GrpcTestChannels.close(channel);
            }
        }
    }

    @Test
    void httpsTrustingTheCaProcessesTheImage() throws Exception {
        HttpResponse<byte[]> response = post(httpClient(CA), "https");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).isEqualTo(PHOTO.swapped());
    }

    @Test
    void httpsRefusesAWrongCaAndPlaintextGetsNoImage() throws Exception {
        assertThatThrownBy(() -> post(httpClient(OTHER_CA), "https")).isInstanceOf(IOException.class)
                .hasMessageContaining("PKIX");
        // Plain HTTP to the TLS port: Jetty answers with a 400 or closes; never an image.
        try {
            assertThat(post(HttpClient.newHttpClient(), "http").statusCode()).isEqualTo(400);
        } catch (IOException closed) {
            // also fine: the connection was refused at the TLS layer
        }
    }

    @Test
    void clientCommandWithTlsAndTheCaFile() throws Exception {
        Path input = dir.resolve("in.png");
        Path output = dir.resolve("out.png");
        Files.write(input, PNG);
        CliRun cli = new CliRun();

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                "--tls", "--ca-file", CA.certFile().toString(), input.toString(), output.toString());

        assertThat(failure).as(cli.stderr()).isEmpty();
        assertThat(TestImages.decode(Files.readAllBytes(output))).isEqualTo(PHOTO.swapped());
    }

    @Test
    void clientCommandWithTheWrongCaFailsWithOneLine() throws Exception {
        Path input = dir.resolve("in.png");
        Files.write(input, PNG);
        CliRun cli = new CliRun();

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                "--tls", "--ca-file", OTHER_CA.certFile().toString(), input.toString(), dir.resolve("out.png").toString());

        assertThat(failure).isPresent();
        assertThat(cli.stderr()).startsWith("error: cannot reach the image service");
        assertThat(dir.resolve("out.png")).doesNotExist();
    }

    private HttpResponse<byte[]> post(HttpClient client, String scheme) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpClient httpClient(Authority trusted) throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemFiles.trustStore(trusted.certFile()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    static ManagedChannel tlsChannel(Authority trusted) throws Exception {
        return NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP))
                .sslContext(GrpcSslContexts.forClient().trustManager(trusted.certFile().toFile()).build())
                .build();
    }
}
