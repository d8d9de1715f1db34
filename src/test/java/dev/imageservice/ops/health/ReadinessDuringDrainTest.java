package dev.imageservice.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shutdown as an HTTP-checking load balancer (HAProxy, a Kubernetes httpGet probe) sees it: the
 * admin {@code /ready} turns 503 and {@code /healthcheck} 500 the moment the stop begins, while the
 * HTTP API still answers for the drain delay.
 */
class ReadinessDuringDrainTest {
    private static final long DRAIN_MILLIS = 3000;

    private final DropwizardTestSupport<ImageServiceConfiguration> support = new DropwizardTestSupport<>(
            ImageServiceApplication.class, AppUnderTest.shippedConfig(),
            AppUnderTest.withRandomPorts(ConfigOverride.config("ops.shutdownDrainDelay", DRAIN_MILLIS + "ms")));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void cleanUp() {
        support.after();
    }

    @Test
    void readyTurns503AndHealthcheck500WhenShutdownBeginsWhileRequestsAreStillServed() throws Exception {
        support.before();
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body().trim()).isEqualTo("SERVING");
        assertThat(get("/healthcheck").statusCode()).isEqualTo(200);

        long stopAt = System.nanoTime();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(support::after);
        while (ready.statusCode() == 200 && System.nanoTime() - stopAt < TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS)) {
            ready = get("/ready");
            Thread.sleep(10);
        }

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body().trim()).isEqualTo("NOT_SERVING");
        HttpResponse<String> health = get("/healthcheck");
        assertThat(health.statusCode()).isEqualTo(500);
        assertThat(health.body()).contains("\"shutdown\":{\"healthy\":false");
        // Draining, not dead: the HTTP API still does the work while the balancer moves away.
        byte[] png = TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 3), ".png");
        HttpResponse<byte[]> processed = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + support.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                BodyHandlers.ofByteArray());
        assertThat(processed.statusCode()).isEqualTo(200);
        assertThat(stopped).isNotDone();
        stopped.get(30, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + support.getAdminPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString());
    }
}
