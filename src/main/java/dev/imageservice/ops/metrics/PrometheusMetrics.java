package dev.imageservice.ops.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * The service's own metrics in Prometheus' model: histograms with buckets, {@code _sum} and
 * {@code _count} (so that rates, means and percentiles add up across a fleet), counters, base units
 * in the names. Every name is in {@link MetricNames}. One instance per application, registered in a
 * {@link CollectorRegistry} of its own (not the client's global one), so that two applications in one
 * JVM, as in tests, never share numbers.
 *
 * <p>Bucket bounds are powers of two (seconds: 2^-10 s ~ 1 ms up to 32 s; bytes and pixels: powers of
 * four), the bounds of Prometheus' native histograms, so the two agree where both are scraped.
 */
public final class PrometheusMetrics {
    private static final double[] SECONDS = powersOfTwo(-10, 5, 1);
    private static final double[] BYTES = powersOfTwo(10, 28, 2);
    private static final double[] PIXELS = powersOfTwo(12, 28, 2);

    private final CollectorRegistry registry = new CollectorRegistry();

    final Histogram processSeconds = histogram(MetricNames.PROM_PROCESS_SECONDS,
            "Time of each image call of the processor, queue included, whatever its outcome.", SECONDS);
    final Histogram stageSeconds = histogram(MetricNames.PROM_STAGE_SECONDS,
            "Time of each stage of a processed image: queue (waiting for admission), decode, transform, encode.",
            SECONDS, "stage");
    final Histogram operationSeconds = histogram(MetricNames.PROM_OPERATION_SECONDS,
            "Time of each operation of the pipeline (resize, crop, swap, ...), by operation.", SECONDS, "operation");
    final Counter failed = Counter.build(MetricNames.PROM_FAILED,
            "Image calls refused or failed, by kind.").labelNames("kind").register(registry);
    final Histogram inputBytes = histogram(MetricNames.PROM_INPUT_BYTES,
            "Size of each image received by the processor.", BYTES);
    final Histogram outputBytes = histogram(MetricNames.PROM_OUTPUT_BYTES,
            "Size of each encoded image returned.", BYTES);
    final Histogram decodedPixels = histogram(MetricNames.PROM_DECODED_PIXELS,
            "Width x height of each decoded image.", PIXELS);

    final Counter grpcStarted = Counter.build(MetricNames.PROM_GRPC_STARTED,
            "gRPC calls started on the server.").labelNames("grpc_type", "grpc_service", "grpc_method")
            .register(registry);
    final Counter grpcHandled = Counter.build(MetricNames.PROM_GRPC_HANDLED,
            "gRPC calls completed on the server, by status code.")
            .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
    final Histogram grpcHandlingSeconds = histogram(MetricNames.PROM_GRPC_HANDLING_SECONDS,
            "Time of each gRPC call on the server, until its status is sent or it is cancelled.", SECONDS,
            "grpc_type", "grpc_service", "grpc_method");
    final Counter grpcReceived = Counter.build(MetricNames.PROM_GRPC_MSG_RECEIVED,
            "gRPC messages received by the server.").labelNames("grpc_type", "grpc_service", "grpc_method")
            .register(registry);
    final Counter grpcSent = Counter.build(MetricNames.PROM_GRPC_MSG_SENT,
            "gRPC messages sent by the server.").labelNames("grpc_type", "grpc_service", "grpc_method")
            .register(registry);

    final Histogram httpSeconds = histogram(MetricNames.PROM_HTTP_SECONDS,
            "Time of each HTTP API request until its response headers are ready.", SECONDS,
            "method", "route", "status_class");

    /** The processor's call-time histogram (the status page reads it). */
    public Histogram processSeconds() {
        return processSeconds;
    }

    /** Its finite bucket bounds, then +Inf: what {@code processSeconds().get().buckets} counts up to. */
    public double[] processSecondsBounds() {
        double[] bounds = java.util.Arrays.copyOf(SECONDS, SECONDS.length + 1);
        bounds[SECONDS.length] = Double.POSITIVE_INFINITY;
        return bounds;
    }

    /** Calls failed with {@code kind} so far. */
    public double failedCount(String kind) {
        return failed.labels(kind).get();
    }

    /** The registry that holds these (and what else the exposition adds to it). */
    public CollectorRegistry registry() {
        return registry;
    }

    private Histogram histogram(String name, String help, double[] buckets, String... labels) {
        return Histogram.build(name, help).buckets(buckets).labelNames(labels).register(registry);
    }

    private static double[] powersOfTwo(int fromExponent, int toExponent, int step) {
        double[] bounds = new double[(toExponent - fromExponent) / step + 1];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = Math.scalb(1.0, fromExponent + i * step);
        }
        return bounds;
    }
}
