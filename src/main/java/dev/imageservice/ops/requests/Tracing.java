package dev.imageservice.ops.requests;

import io.dropwizard.lifecycle.Managed;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry for the service. With {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) set, the SDK is configured from the standard
 * {@code OTEL_*} environment variables and exports spans by OTLP (service name "image-service"
 * unless {@code OTEL_SERVICE_NAME} says otherwise; metrics and logs stay with Prometheus and the
 * console). Otherwise tracing is off: no span is recorded or exported, and only the caller's W3C
 * {@code traceparent} is read, so that its trace id still reaches the logs.
 */
public final class Tracing implements Managed {
    private static final String SCOPE = "dev.imageservice";

    private final OpenTelemetry openTelemetry;
    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /** Off: W3C propagation only. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance())),
                null);
    }

    /** Tracing with a given OpenTelemetry (tests give an SDK with an in-memory exporter). */
    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry, openTelemetry instanceof OpenTelemetrySdk s ? s : null);
    }

    /** On when {@code env} names an OTLP endpoint (and OTEL_SDK_DISABLED is not true), off otherwise. */
    public static Tracing fromEnvironment(Map<String, String> env) {
        boolean endpoint = !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
                || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
        if (!endpoint || "true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
            return off();
        }
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", "image-service");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        // The environment as properties too, so that a map given here (tests) counts like the real one;
        // the real environment and system properties still win over both.
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                defaults.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .disableShutdownHook() // shut down by the lifecycle, after the servers, so spans are flushed
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk, sdk);
    }

    /** Whether spans are recorded and exported. */
    public boolean isOn() {
        return sdk != null;
    }

    public Tracer tracer() {
        return tracer;
    }

    public TextMapPropagator propagator() {
        return openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public void stop() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
