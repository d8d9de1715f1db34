package dev.imageservice.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.PrometheusText;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After exactly N gRPC calls and M HTTP requests, some failing, every timer and outcome count says
 * exactly that, both in Dropwizard's /metrics and in the parsed /prometheus text.
 *
 * <p>HTTP traffic goes to the real {@code POST /api/v1/process}, plus a probe resource that only this
 * test registers, which answers with any status it is asked for (including a 500 from a bug).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MetricsIntegrationTest {
    private static final String METHOD = "image.ImageService/ProcessImage";

    @Path("/probe")
    public static class ProbeResource {
        @GET
        @Path("{status}")
        public Response status(@PathParam("status") int status) {
            return Response.status(status).entity("probe " + status).build();
        }

        @GET
        @Path("boom")
        public String boom() {
            throw new IllegalStateException("a bug in a resource");
        }
    }

    public static class AppWithProbe extends ImageServiceApplication {
        @Override
        public void run(ImageServiceConfiguration config, Environment environment) {
            super.run(config, environment);
            environment.jersey().register(new ProbeResource());
        }
    }

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            AppWithProbe.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts());

    private static ManagedChannel channel;
    private static byte[] small;
    private static byte[] large;
    private static final byte[] GARBAGE = "certainly not an image".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GIF = "GIF89a, which OpenCV cannot read".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void sendTraffic() {
        channel = GrpcTestChannels.localhost(((ImageServiceApplication) APP.getApplication()).grpcServer().getPort());
        small = TestImages.encode(TestImages.photoLike(20, 10, 3, 8, 1), ".png");
        large = TestImages.encode(TestImages.photoLike(80, 60, 3, 8, 2), ".jpg");

        // N = 5 gRPC calls: 3 succeed, 2 are refused with INVALID_ARGUMENT.
        process(small);
        process(small);
        process(large);
        for (byte[] bad : new byte[][] {GARBAGE, GIF}) {
            assertThatThrownBy(() -> process(bad)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }

        // M = 10 HTTP requests. To the image API: 2 x 200, 1 x 400 (garbage), 1 x 415 (GIF), which
        // the processor sees too. To the probe: 2 x 200 and 1 x 404 on /probe/{status}, 1 x 201,
        // 1 x 500 on /probe/boom; and 1 unmatched (404).
        assertThat(post(small)).isEqualTo(200);
        assertThat(post(large)).isEqualTo(200);
        assertThat(post(GARBAGE)).isEqualTo(400);
        assertThat(post(GIF)).isEqualTo(415);
        assertThat(get("/api/probe/200")).isEqualTo(200);
        assertThat(get("/api/probe/200")).isEqualTo(200);
        assertThat(get("/api/probe/201")).isEqualTo(201);
        assertThat(get("/api/probe/404")).isEqualTo(404);
        assertThat(get("/api/probe/boom")).isEqualTo(500);
        assertThat(get("/api/no/such/thing")).isEqualTo(404);
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcTestChannels.close(channel);
    }

    @Test
    void dropwizardMetricsCountExactlyTheCallsMade() throws Exception {
        JsonNode metrics = APP.getObjectMapper().readTree(admin("/metrics"));
        JsonNode timers = metrics.path("timers");
        JsonNode meters = metrics.path("meters");
        JsonNode histograms = metrics.path("histograms");

        assertThat(timers.path(MetricNames.grpcCalls(METHOD)).path("count").asLong()).isEqualTo(5);
        assertThat(meters.path(MetricNames.grpcHandled(METHOD, "OK")).path("count").asLong()).isEqualTo(3);
        assertThat(meters.path(MetricNames.grpcHandled(METHOD, "INVALID_ARGUMENT")).path("count").asLong()).isEqualTo(2);
        assertThat(meters.has(MetricNames.grpcHandled(METHOD, "INTERNAL"))).isFalse();

        assertThat(timers.path(MetricNames.PROCESS).path("count").asLong()).isEqualTo(9);
        assertThat(timers.path(MetricNames.STAGE_DECODE).path("count").asLong()).isEqualTo(5);
        assertThat(timers.path(MetricNames.STAGE_TRANSFORM).path("count").asLong()).isEqualTo(5);
        assertThat(timers.path(MetricNames.STAGE_ENCODE).path("count").asLong()).isEqualTo(5);
        assertThat(meters.path(MetricNames.FAILED_PREFIX + "INVALID_IMAGE").path("count").asLong()).isEqualTo(2);
        assertThat(meters.path(MetricNames.FAILED_PREFIX + "UNSUPPORTED_FORMAT").path("count").asLong()).isEqualTo(2);
        assertThat(meters.path(MetricNames.FAILED_PREFIX + "INTERNAL").path("count").asLong()).isZero();

        JsonNode input = histograms.path(MetricNames.INPUT_BYTES);
        assertThat(input.path("count").asLong()).isEqualTo(9);
        assertThat(input.path("max").asLong()).isEqualTo(Math.max(large.length, small.length));
        assertThat(input.path("min").asLong()).isEqualTo(GARBAGE.length);
        assertThat(histograms.path(MetricNames.OUTPUT_BYTES).path("count").asLong()).isEqualTo(5);
        JsonNode pixels = histograms.path(MetricNames.DECODED_PIXELS);
        assertThat(pixels.path("count").asLong()).isEqualTo(5);
        assertThat(pixels.path("min").asLong()).isEqualTo(20 * 10);
        assertThat(pixels.path("max").asLong()).isEqualTo(80 * 60);

        String api = "POST /api/v1/process";
        assertThat(timers.path(MetricNames.httpRequests(api)).path("count").asLong()).isEqualTo(4);
        assertThat(meters.path(MetricNames.httpResponses(api, "2xx")).path("count").asLong()).isEqualTo(2);
        assertThat(meters.path(MetricNames.httpResponses(api, "4xx")).path("count").asLong()).isEqualTo(2);
        assertThat(meters.has(MetricNames.httpResponses(api, "5xx"))).isFalse();
        String probe = "GET /api/probe/{status}";
        assertThat(timers.path(MetricNames.httpRequests(probe)).path("count").asLong()).isEqualTo(4);
        assertThat(meters.path(MetricNames.httpResponses(probe, "2xx")).path("count").asLong()).isEqualTo(3);
        assertThat(meters.path(MetricNames.httpResponses(probe, "4xx")).path("count").asLong()).isEqualTo(1);
        assertThat(timers.path(MetricNames.httpRequests("GET /api/probe/boom")).path("count").asLong()).isEqualTo(1);
        assertThat(meters.path(MetricNames.httpResponses("GET /api/probe/boom", "5xx")).path("count").asLong()).isEqualTo(1);
        assertThat(timers.path(MetricNames.httpRequests("UNMATCHED")).path("count").asLong()).isEqualTo(1);
        assertThat(meters.path(MetricNames.httpResponses("UNMATCHED", "4xx")).path("count").asLong()).isEqualTo(1);
    }

    @Test
    void prometheusTextParsesAndCarriesTheSameNumbers() {
        PrometheusText prometheus = PrometheusText.parse(admin("/prometheus"));

        // gRPC: go-grpc-prometheus' names and labels.
        String[] unary = {"grpc_type", "unary", "grpc_service", "image.ImageService", "grpc_method", "ProcessImage"};
        assertThat(prometheus.type("grpc_server_handling_seconds")).isEqualTo("histogram");
        assertThat(prometheus.value("grpc_server_handling_seconds_count", unary)).isEqualTo(5.0);
        assertThat(prometheus.value("grpc_server_handling_seconds_sum", unary)).isPositive();
        assertThat(prometheus.value("grpc_server_handling_seconds_bucket", with(unary, "le", "+Inf"))).isEqualTo(5.0);
        assertThat(prometheus.value("grpc_server_started_total", unary)).isEqualTo(5.0);
        assertThat(prometheus.value("grpc_server_msg_received_total", unary)).isEqualTo(5.0);
        assertThat(prometheus.value("grpc_server_msg_sent_total", unary)).isEqualTo(3.0);
        assertThat(prometheus.type("grpc_server_handled_total")).isEqualTo("counter");
        assertThat(prometheus.value("grpc_server_handled_total", with(unary, "grpc_code", "OK"))).isEqualTo(3.0);
        assertThat(prometheus.value("grpc_server_handled_total", with(unary, "grpc_code", "INVALID_ARGUMENT"))).isEqualTo(2.0);

        assertThat(prometheus.type("image_processing_duration_seconds")).isEqualTo("histogram");
        assertThat(prometheus.value("image_processing_duration_seconds_count")).isEqualTo(9.0);
        assertThat(prometheus.value("image_processing_duration_seconds_bucket", "le", "+Inf")).isEqualTo(9.0);
        assertThat(prometheus.value("image_processing_duration_seconds_bucket", "le", "32.0")).isEqualTo(9.0);
        for (String stage : new String[] {"queue", "decode", "transform", "encode"}) {
            assertThat(prometheus.value("image_processing_stage_duration_seconds_count", "stage", stage)).as(stage).isEqualTo(5.0);
        }
        assertThat(prometheus.value("image_processing_failed_total", "kind", "INVALID_IMAGE")).isEqualTo(2.0);
        assertThat(prometheus.value("image_processing_failed_total", "kind", "UNSUPPORTED_FORMAT")).isEqualTo(2.0);
        assertThat(prometheus.value("image_processing_failed_total", "kind", "INTERNAL")).isEqualTo(0.0);
        assertThat(prometheus.value("image_processing_input_bytes_count")).isEqualTo(9.0);
        assertThat(prometheus.value("image_processing_input_bytes_sum"))
                .isEqualTo(2.0 * (small.length + large.length + GARBAGE.length + GIF.length) + small.length);
        assertThat(prometheus.value("image_processing_output_bytes_count")).isEqualTo(5.0);
        assertThat(prometheus.value("image_processing_decoded_pixels_count")).isEqualTo(5.0);
        assertThat(prometheus.value("image_processing_decoded_pixels_sum")).isEqualTo(3.0 * 200 + 2.0 * 4800);

        String[] process = {"method", "POST", "route", "/api/v1/process"};
        assertThat(prometheus.type("http_server_request_duration_seconds")).isEqualTo("histogram");
        assertThat(prometheus.value("http_server_request_duration_seconds_count", with(process, "status_class", "2xx"))).isEqualTo(2.0);
        assertThat(prometheus.value("http_server_request_duration_seconds_count", with(process, "status_class", "4xx"))).isEqualTo(2.0);
        String[] probe = {"method", "GET", "route", "/api/probe/{status}"};
        assertThat(prometheus.value("http_server_request_duration_seconds_count", with(probe, "status_class", "2xx"))).isEqualTo(3.0);
        assertThat(prometheus.value("http_server_request_duration_seconds_count", with(probe, "status_class", "4xx"))).isEqualTo(1.0);
        assertThat(prometheus.value("http_server_request_duration_seconds_count",
                "method", "GET", "route", "/api/probe/boom", "status_class", "5xx")).isEqualTo(1.0);
        assertThat(prometheus.value("http_server_request_duration_seconds_count",
                "method", "GET", "route", "UNMATCHED", "status_class", "4xx")).isEqualTo(1.0);

        // Gauges of Dropwizard's registry come along: admission with its limits (and the JVM's, which
        // Dropwizard registers only outside tests: see PrometheusServerIT).
        assertThat(prometheus.value("image_admission_in_flight")).isEqualTo(0.0);
        assertThat(prometheus.value("image_admission_max_queued")).isEqualTo(1000.0);
        assertThat(prometheus.value("image_memory_budget_bytes")).isEqualTo(640.0 * 1024 * 1024);
        // Dropwizard's summaries are not exposed: they cannot be added up across instances.
        assertThat(prometheus.type("io_dropwizard_jetty_mutableservletcontexthandler_requests")).isNull();
    }

    private static String[] with(String[] labels, String... more) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }

    private static void process(byte[] image) {
        ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(image)).build());
    }

    private static int post(byte[] image) {
        try (Response response = APP.client().target("http://localhost:" + APP.getLocalPort() + "/api/v1/process")
                .request().post(Entity.entity(image, "image/png"))) {
            return response.getStatus();
        }
    }

    private static int get(String path) {
        try (Response response = APP.client().target("http://localhost:" + APP.getLocalPort() + path).request().get()) {
            return response.getStatus();
        }
    }

    private static String admin(String path) {
        return APP.client().target("http://localhost:" + APP.getAdminPort() + path).request().get(String.class);
    }
}
