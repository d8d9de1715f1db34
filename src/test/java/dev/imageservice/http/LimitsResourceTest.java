package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.testing.AppUnderTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/v1/limits} reports the limits the running service was configured with. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LimitsResourceTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("limits.maxInputSize", "3MiB"),
            ConfigOverride.config("limits.maxMegapixels", "20"),
            ConfigOverride.config("limits.maxConcurrent", "3"),
            ConfigOverride.config("limits.memoryBudget", "45MiB"),
            ConfigOverride.config("limits.maxQueued", "7"),
            ConfigOverride.config("limits.maxQueuedPerClient", "5"),
            ConfigOverride.config("limits.maxQueueWait", "1500ms"),
            ConfigOverride.config("grpc.streamIdleTimeout", "12s"));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void reportsTheConfiguredLimits() throws Exception {
        HttpResponse<String> response = HTTP.send(request().GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode limits = JSON.readTree(response.body());
        assertThat(limits.get("maxInputBytes").asLong()).isEqualTo(3 * 1024 * 1024);
        assertThat(limits.get("maxPixels").asLong()).isEqualTo(20_000_000);
        assertThat(limits.get("maxMegapixels").asDouble()).isEqualTo(20.0);
        assertThat(limits.get("maxConcurrent").asInt()).isEqualTo(3);
        assertThat(limits.get("memoryBudgetBytes").asLong()).isEqualTo(45L << 20);
        assertThat(limits.get("inputShareBytes").asLong())
                .isEqualTo((45L << 20) * AdmissionController.INPUT_SHARE_PERCENT / 100);
        assertThat(limits.get("maxQueued").asInt()).isEqualTo(7);
        assertThat(limits.get("maxQueuedPerClient").asInt()).isEqualTo(5);
        assertThat(limits.get("maxQueueWaitMillis").asLong()).isEqualTo(1500);
        assertThat(limits.at("/grpc/streamChunkBytes").asLong()).isEqualTo(1024 * 1024);
        assertThat(limits.at("/grpc/streamIdleTimeoutMillis").asLong()).isEqualTo(12_000);
        assertThat(limits.size()).as("no field beyond the documented ones: %s", limits).isEqualTo(10);
    }

    @Test
    void postIsMethodNotAllowed() throws Exception {
        HttpResponse<String> response = HTTP.send(request().POST(HttpRequest.BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    private static HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/limits"))
                .timeout(Duration.ofSeconds(10));
    }
}
