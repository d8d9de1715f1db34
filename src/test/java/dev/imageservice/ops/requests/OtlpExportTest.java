package dev.imageservice.ops.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Tracing as configured from the standard OTEL_* environment variables: off without an endpoint,
 * and with one, spans reach an OTLP/HTTP receiver (a real HTTP server on a free port, reading what
 * the SDK's exporter posts to /v1/traces).
 */
class OtlpExportTest {

    @Test
    void withoutAnEndpointTracingIsOffAndRecordsNothing() {
        Tracing tracing = Tracing.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x"));

        Span span = tracing.tracer().spanBuilder("nothing").startSpan();

        assertThat(tracing.isOn()).isFalse();
        assertThat(span.isRecording()).isFalse();
        assertThat(tracing.propagator().fields()).contains("traceparent");
    }

    @Test
    void withAnEndpointSpansAreExportedByOtlp() throws Exception {
        List<String> posts = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            posts.add(exchange.getRequestURI().getPath() + " " + body.toString(StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Tracing tracing = Tracing.fromEnvironment(Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
            assertThat(tracing.isOn()).isTrue();
            Span span = tracing.tracer().spanBuilder("exported-span-name").setSpanKind(SpanKind.SERVER).startSpan();
            String traceId = span.getSpanContext().getTraceId();
            span.end();

            tracing.stop(); // flushes the batch

            assertThat(posts).isNotEmpty();
            String received = String.join("\n", posts);
            assertThat(received).startsWith("/v1/traces ").contains("exported-span-name").contains("image-service");
            // The trace id travels as 16 raw bytes in the protobuf.
            byte[] id = java.util.HexFormat.of().parseHex(traceId);
            assertThat(received).contains(new String(id, StandardCharsets.ISO_8859_1));
        } finally {
            receiver.stop(0);
        }
    }
}
