package dev.imageservice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.PrometheusServer;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar started as the README says ({@code java -jar target/image-service.jar server
 * config.yml}): a normal start and stop prints no WARN or ERROR line, and the access log still logs.
 * Runs after {@code package} (failsafe), because the jar's manifest is part of what is checked.
 */
class CleanStartIT {
    private ServiceProcess service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.kill();
        }
    }

    @Test
    void normalStartAndStopLogNoWarningOrError() throws Exception {
        service = ServiceProcess.startJar(Map.of());
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.httpPort() + "/api/v1/limits")).build(),
                BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(200);
        service.awaitLine(line -> line.contains("\"GET /api/v1/limits HTTP/1.1\" 200"), Duration.ofSeconds(10));
        if (RequiredTools.checkedPart(PrometheusServer.installed(), PrometheusServer.MISSING)) {
            // With the JVM's gauges, which Dropwizard registers only outside tests.
            String exposition = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.adminPort() + "/prometheus")).build(),
                    BodyHandlers.ofString()).body();
            assertThat(exposition).contains("jvm_memory_heap_used");
            assertThat(PrometheusServer.promtool(exposition, "check", "metrics").output()).isEmpty();
        }
        assertThat(service.stop(Duration.ofSeconds(30))).isZero();

        List<String> lines = service.output();
        assertThat(lines).anyMatch(line -> line.contains("ready: HTTP port"));
        assertThat(lines).as("a normal start and stop").noneMatch(line -> line.matches("(?s).*\\b(WARN|ERROR)\\b.*"));
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithTheRequestId() throws Exception {
        service = ServiceProcess.startJar(Map.of("LOG_FORMAT", "json"));
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.httpPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").header("X-Request-Id", "json-log-1")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofString("not an image")).build(), BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        service.awaitLine(line -> line.contains("\"uri\":\"/api/v1/process\""), Duration.ofSeconds(10));
        assertThat(service.stop(Duration.ofSeconds(30))).isZero();

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : service.output()) {
            if (!line.isBlank()) {
                JsonNode node = json.readTree(line); // throws on anything that is not JSON
                assertThat(node.isObject()).as(line).isTrue();
                lines.add(node);
            }
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("logger").asText()).isEqualTo("dev.imageservice.http.ProcessResource");
            assertThat(line.path("requestId").asText()).isEqualTo("json-log-1");
            assertThat(line.path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("uri").asText()).isEqualTo("/api/v1/process");
            assertThat(line.path("status").asInt()).isEqualTo(400);
            assertThat(line.path("responseHeaders").path("X-Request-Id").asText()).isEqualTo("json-log-1");
            assertThat(line.path("requestAttributes").path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        });
        assertThat(lines).noneMatch(line -> line.path("level").asText().matches("WARN|ERROR"));
    }
}
