package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.Mutations;
import dev.imageservice.testing.TestImages;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mutated images over HTTP, half as raw bodies and half as multipart uploads: each is processed
 * (a readable PNG) or refused with a 4xx JSON error, never a 5xx or a hang, and the service is
 * healthy afterwards.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FuzzHttpTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();
    static final int CASES = 1500;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** A hang guard per request: every mutant is a few KB, answered in milliseconds. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyMutantIsProcessedOrRefusedWithA4xxAndTheServiceStaysHealthy() throws Exception {
        Map<Integer, Integer> outcomes = new TreeMap<>();
        List<Mutations.Mutant> mutants = Mutations.generate(20261125L, CASES);
        for (int i = 0; i < mutants.size(); i++) {
            Mutations.Mutant mutant = mutants.get(i);
            boolean multipart = i % 2 == 1;
            HttpResponse<byte[]> response = HTTP.send(request(mutant.data(), multipart), BodyHandlers.ofByteArray());
            int status = response.statusCode();
            String what = mutant.description() + (multipart ? " as multipart" : " as raw body");
            if (status == 200) {
                TestImages.decode(response.body()); // an OK answer must be a readable PNG
            } else {
                String body = new String(response.body(), StandardCharsets.UTF_8);
                assertThat(status).as("%s answered %s: %s", what, status, body).isBetween(400, 499);
                JsonNode json = JSON.readTree(body);
                assertThat(json.get("code").asInt()).as(what).isEqualTo(status);
                assertThat(json.get("message").asText()).as(what)
                        .isNotBlank().doesNotContain("Exception", "cv::", "\tat ");
            }
            outcomes.merge(status, 1, Integer::sum);
        }
        System.out.println("fuzz: " + CASES + " mutants over HTTP, answers by status: " + outcomes);

        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getAdminPort() + "/healthcheck")).timeout(TIMEOUT).build(),
                BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        TestImages.Pixels photo = TestImages.photoLike(64, 64, 3, 8, 35);
        HttpResponse<byte[]> after = HTTP.send(request(TestImages.encode(photo, ".png"), false), BodyHandlers.ofByteArray());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(after.body())).isEqualTo(photo.swapped());

        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
        assertThat(outcomes).containsKeys(200, 400);
    }

    private static HttpRequest request(byte[] image, boolean multipart) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process")).timeout(TIMEOUT);
        return multipart
                ? builder.header("Content-Type", Multipart.CONTENT_TYPE).POST(BodyPublishers.ofByteArray(
                        new Multipart().file(ProcessResource.FILE_PART, "mutant.bin", "application/octet-stream", image).build())).build()
                : builder.header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(image)).build();
    }
}
