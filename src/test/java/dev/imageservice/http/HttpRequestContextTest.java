package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the processor learns about an HTTP caller while its request waits for admission: a deadline
 * announced by a proxy in front ends its wait. One image at a time; the first one is held in work
 * at a gate, so the second one must queue.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HttpRequestContextTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("limits.maxConcurrent", "1"),
                    // Far longer than any hang guard here: a request that leaves the queue left for its own reasons.
                    ConfigOverride.config("limits.maxQueueWait", "5m"),
                    ConfigOverride.config("ops.healthCheckInterval", "10m")));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestImages.Pixels photo = TestImages.photoLike(64, 48, 3, 8, 51);
    private final byte[] png = TestImages.encode(photo, ".png");
    private GatedApplication.Gate gate;

    @AfterEach
    void openTheGate() {
        if (gate != null) {
            gate.letThrough();
        }
    }

    @Test
    void aQueuedRequestIsRefusedWhenTheDeadlineAnnouncedByTheProxyPasses() throws Exception {
        gate = GatedApplication.Gate.closeForNextRequests();
        CompletableFuture<HttpResponse<byte[]>> first = HTTP.sendAsync(post(png).build(), BodyHandlers.ofByteArray());
        assertThat(gate.awaitHeld(1, 10, TimeUnit.SECONDS)).as("the first image is in work").isTrue();

        HttpResponse<byte[]> late = HTTP.send(post(png).header(HttpRequestContexts.ENVOY_TIMEOUT_HEADER, "200").build(),
                BodyHandlers.ofByteArray());

        String body = new String(late.body(), StandardCharsets.UTF_8);
        assertThat(late.statusCode()).as(body).isEqualTo(503);
        JsonNode json = JSON.readTree(body);
        assertThat(json.get("message").asText()).contains("deadline passed");
        gate.letThrough();
        HttpResponse<byte[]> response = first.get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).isEqualTo(photo.swapped());
    }

    @Test
    void aDeadlineLongEnoughChangesNothing() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(post(png).header(HttpRequestContexts.ENVOY_TIMEOUT_HEADER, "30000").build(),
                BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).isEqualTo(photo.swapped());
    }

    @Test
    void aMalformedDeadlineIsIgnored() throws Exception {
        HttpResponse<byte[]> response = HTTP.send(post(png).header(HttpRequestContexts.ENVOY_TIMEOUT_HEADER, "soon").build(),
                BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).isEqualTo(photo.swapped());
    }

    @Test
    void onlyAPositiveNumberOfMillisecondsIsADeadline() {
        assertThat(HttpRequestContexts.timeoutMillis("1500")).isEqualTo(1500);
        assertThat(HttpRequestContexts.timeoutMillis(" 20 ")).isEqualTo(20);
        // Envoy sends 0 when the route has no timeout.
        assertThat(HttpRequestContexts.timeoutMillis("0")).isEqualTo(-1);
        assertThat(HttpRequestContexts.timeoutMillis("-5")).isEqualTo(-1);
        assertThat(HttpRequestContexts.timeoutMillis("1.5s")).isEqualTo(-1);
        assertThat(HttpRequestContexts.timeoutMillis(null)).isEqualTo(-1);
    }

    private static HttpRequest.Builder post(byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").timeout(Duration.ofSeconds(30))
                .POST(BodyPublishers.ofByteArray(body));
    }
}
