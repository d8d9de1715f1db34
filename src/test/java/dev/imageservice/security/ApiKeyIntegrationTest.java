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
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** API_KEYS_FILE: image calls need a key on both transports; health and metrics stay open. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiKeyIntegrationTest {
    static final String ALICE_KEY = "alice-0123456789abcdef";
    static final Path KEYS = keysFile("# test keys\nalice:" + ALICE_KEY + "\n\nbob:bob-fedcba9876543210\n");

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("security.apiKeysFile", KEYS.toString()));

    static final Pixels PHOTO = TestImages.photoLike(32, 24, 3, 8, 3);
    static final byte[] PNG = TestImages.encode(PHOTO, ".png");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static ManagedChannel channel;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcTestChannels.close(channel);
    }

    static Path keysFile(String content) {
        try {
            Path file = Files.createTempFile("api-keys", ".txt");
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void grpcWithoutOrWithAWrongKeyIsUnauthenticated() {
        for (String authorization : new String[] {null, "Bearer wrong-key-0123456789", "Basic " + ALICE_KEY, ALICE_KEY}) {
            assertThatThrownBy(() -> processOverGrpc(authorization))
                    .as("authorization %s", authorization)
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).contains("authorization: Bearer");
                    });
        }
    }

    @Test
    void grpcWithTheRightKeyIsServedAndCountedUnderItsName() throws Exception {
        double before = acceptedCount("alice");
        assertThat(TestImages.decode(processOverGrpc("Bearer " + ALICE_KEY))).isEqualTo(PHOTO.swapped());
        assertThat(acceptedCount("alice")).isEqualTo(before + 1);
        assertThat(prometheus()).doesNotContain(ALICE_KEY);
    }

    @Test
    void grpcHealthNeedsNoKey() {
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build()).getStatus().name())
                .isEqualTo("SERVING");
    }

    @Test
    void httpWithoutOrWithAWrongKeyIs401WithAChallenge() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-key-0123456789"}) {
            HttpResponse<String> response = postOverHttp(authorization, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains(ApiKeyFilter.CHALLENGE);
            assertThat(response.body()).contains("\"code\":401").contains("Authorization: Bearer");
        }
        HttpResponse<String> limits = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/limits")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(limits.statusCode()).isEqualTo(401);
    }

    @Test
    void httpWithTheRightKeyIsServed() throws Exception {
        HttpResponse<byte[]> response = postOverHttp("Bearer " + ALICE_KEY, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).isEqualTo(PHOTO.swapped());
    }

    @Test
    void pageHealthAndMetricsNeedNoKey() throws Exception {
        assertThat(get("http://localhost:" + APP.getLocalPort() + "/").statusCode()).isEqualTo(200);
        assertThat(get("http://localhost:" + APP.getAdminPort() + "/healthcheck").statusCode()).isEqualTo(200);
        assertThat(get("http://localhost:" + APP.getAdminPort() + "/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void clientCommandSendsTheKey() throws Exception {
        Path input = Files.write(dir.resolve("in.png"), PNG);
        Path output = dir.resolve("out.png");
        String target = "localhost:" + AppUnderTest.grpcPort(APP);

        CliRun without = new CliRun();
        assertThat(without.run("client", "--target", target, input.toString(), output.toString())).isPresent();
        assertThat(without.stderr()).contains("UNAUTHENTICATED");

        CliRun with = new CliRun();
        Optional<Throwable> failure = with.run("client", "--target", target, "--api-key", ALICE_KEY,
                input.toString(), output.toString());
        assertThat(failure).as(with.stderr()).isEmpty();
        assertThat(TestImages.decode(Files.readAllBytes(output))).isEqualTo(PHOTO.swapped());
    }

    private static byte[] processOverGrpc(String authorization) {
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(ApiKeyGrpcInterceptor.AUTHORIZATION, authorization);
        }
        return ImageServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(PNG)).build())
                .getImageData().toByteArray();
    }

    private static <T> HttpResponse<T> postOverHttp(String authorization, HttpResponse.BodyHandler<T> body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(PNG));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), body);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String prometheus() throws Exception {
        return get("http://localhost:" + APP.getAdminPort() + "/prometheus").body();
    }

    private static double acceptedCount(String name) throws Exception {
        return prometheus().lines().filter(line -> line.startsWith("api_key_accepted_total{client=\"" + name + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
