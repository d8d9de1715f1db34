package dev.imageservice.ops.metrics;

import dev.imageservice.processing.ImageProcessingException;
import java.util.List;

/**
 * Every metric the service defines, in one place: the names in Dropwizard's registry (admin
 * {@code /metrics}) and the names in Prometheus (admin {@code /prometheus}).
 *
 * <p>Prometheus gets the service's own metrics from {@link PrometheusMetrics} (histograms with
 * buckets, counters; names below as {@code PROM_*}), not from Dropwizard's timers, whose summaries
 * cannot be added up across instances. Of the Dropwizard registry, Prometheus gets the gauges only
 * (JVM, admission, budget), named by {@link #prometheusFamilies()} or the client's default mapping.
 *
 * <p>Dropwizard names are flat, so a label such as the gRPC method is a part of the name. The
 * variable part always comes after a fixed prefix, and a second label (status code, status class)
 * is the last dot-separated segment.
 */
public final class MetricNames {

    // --- processing (MeteredImageProcessor): every call, whatever the transport -------------------

    /** Timer: each call of the processor, successful or not. */
    public static final String PROCESS = "image.processing.process";
    /** Timers, one per stage of a successful call: {@code .decode}, {@code .transform}, {@code .encode}. */
    public static final String STAGE_PREFIX = "image.processing.stage.";
    public static final String STAGE_DECODE = STAGE_PREFIX + "decode";
    public static final String STAGE_TRANSFORM = STAGE_PREFIX + "transform";
    public static final String STAGE_ENCODE = STAGE_PREFIX + "encode";
    /** Timers {@code image.processing.operation.<name>}: each operation of a successful call (resize, crop, ...). */
    public static final String OPERATION_PREFIX = "image.processing.operation.";
    /** Meters, one per {@link ImageProcessingException.Kind}: calls that failed for that reason. */
    public static final String FAILED_PREFIX = "image.processing.failed.";
    /** Histogram: size of each input, in bytes (every call). */
    public static final String INPUT_BYTES = "image.processing.input-bytes";
    /** Histogram: size of each output, in bytes (successful calls). */
    public static final String OUTPUT_BYTES = "image.processing.output-bytes";
    /** Histogram: width x height of each decoded image (successful calls). */
    public static final String DECODED_PIXELS = "image.processing.decoded-pixels";

    // --- admission control (the processor's queue), as gauges ------------------------------------

    /** Gauge: images being decoded/encoded now. */
    public static final String ADMISSION_IN_FLIGHT = "image.admission.in-flight";
    /** Gauge: requests waiting for admission now (gRPC calls still unread at the ReadAheadGate included). */
    public static final String ADMISSION_QUEUED = "image.admission.queued";
    /** Gauge: the memory budget, bytes (limits.memoryBudget). */
    public static final String MEMORY_BUDGET = "image.memory.budget-bytes";
    /** Gauge: bytes counted against the budget now (inputs, work, outputs not yet written). */
    public static final String MEMORY_IN_USE = "image.memory.in-use-bytes";
    /** Gauge: bytes held by requests waiting for admission (part of in-use). */
    public static final String MEMORY_WAITING = "image.memory.waiting-bytes";
    /**
     * Gauge: the autoscaling signal, demand per processing slot: (images in work + requests waiting)
     * / limits.maxConcurrent. Up to 1 the slots keep up; above 1 requests queue (2 = one waits for
     * every one in work). See docs/SCALING.md.
     */
    public static final String ADMISSION_LOAD = "image.admission.load";
    /** Gauge: bytes counted against the memory budget / limits.memoryBudget, 0 to 1 (can pass 1 briefly). */
    public static final String ADMISSION_PIXELS_UTILISATION = "image.admission.pixels-utilisation";

    // --- gRPC (GrpcMetricsInterceptor): every call to every method -------------------------------

    /** Timers {@code grpc.server.calls.<full method name>}: whole calls, whatever their status. */
    public static final String GRPC_CALLS_PREFIX = "grpc.server.calls.";
    /** Meters {@code grpc.server.handled.<full method name>.<status code>}: calls by final status. */
    public static final String GRPC_HANDLED_PREFIX = "grpc.server.handled.";

    // --- HTTP (HttpMetricsFilter): every request to a Jersey resource -----------------------------

    /** Timers {@code http.server.requests.<endpoint>}, endpoint as {@code "POST /api/v1/process"}. */
    public static final String HTTP_REQUESTS_PREFIX = "http.server.requests.";
    /** Meters {@code http.server.responses.<endpoint>.<2xx|4xx|5xx|...>}: requests by status class. */
    public static final String HTTP_RESPONSES_PREFIX = "http.server.responses.";

    /** Requests with an accepted API key, by the key's name (never the key), on both transports. */
    public static final String API_KEY_ACCEPTED_PREFIX = "security.api-key.accepted.";
    /** Requests refused for a missing or unknown API key, on both transports. */
    public static final String API_KEY_REFUSED = "security.api-key.refused";

    public static String apiKeyAccepted(String keyName) {
        return API_KEY_ACCEPTED_PREFIX + keyName;
    }
    /** The endpoint of requests that matched no resource, so that scans cannot create new names. */
    public static final String HTTP_UNMATCHED = "UNMATCHED";

    // --- Prometheus (PrometheusMetrics); counters get "_total", histograms _bucket/_sum/_count -----

    /** Histogram: each call of the processor, queue included. */
    public static final String PROM_PROCESS_SECONDS = "image_processing_duration_seconds";
    /** Histogram by {@code stage}: queue, decode, transform, encode. */
    public static final String PROM_STAGE_SECONDS = "image_processing_stage_duration_seconds";
    /** Counter by {@code kind} (an {@link ImageProcessingException.Kind}); exposed with "_total". */
    public static final String PROM_FAILED = "image_processing_failed";
    public static final String PROM_INPUT_BYTES = "image_processing_input_bytes";
    public static final String PROM_OUTPUT_BYTES = "image_processing_output_bytes";
    public static final String PROM_DECODED_PIXELS = "image_processing_decoded_pixels";
    /** The names and labels (grpc_type, grpc_service, grpc_method, grpc_code) of go-grpc-prometheus
     * and java-grpc-prometheus, so that stock gRPC dashboards work. */
    public static final String PROM_GRPC_STARTED = "grpc_server_started";
    public static final String PROM_GRPC_HANDLED = "grpc_server_handled";
    public static final String PROM_GRPC_HANDLING_SECONDS = "grpc_server_handling_seconds";
    public static final String PROM_GRPC_MSG_RECEIVED = "grpc_server_msg_received";
    public static final String PROM_GRPC_MSG_SENT = "grpc_server_msg_sent";
    /** Histogram by {@code operation} (resize, crop, ...): each operation of the pipeline. */
    public static final String PROM_OPERATION_SECONDS = "image_processing_operation_duration_seconds";
    /** Histogram by method, route (the matched path template) and status_class. */
    public static final String PROM_HTTP_SECONDS = "http_server_request_duration_seconds";

    // --- the limits behind the admission gauges, so that saturation is a ratio ----------------------

    /** Gauge: limits.maxConcurrent in force. */
    public static final String ADMISSION_MAX_IN_FLIGHT = "image.admission.max-in-flight";
    /** Gauge: limits.maxQueued in force. */
    public static final String ADMISSION_MAX_QUEUED = "image.admission.max-queued";

    private MetricNames() {
    }

    public static String failed(ImageProcessingException.Kind kind) {
        return FAILED_PREFIX + kind.name();
    }

    public static String operation(String name) {
        return OPERATION_PREFIX + name;
    }

    public static String grpcCalls(String fullMethodName) {
        return GRPC_CALLS_PREFIX + fullMethodName;
    }

    public static String grpcHandled(String fullMethodName, String statusCode) {
        return GRPC_HANDLED_PREFIX + fullMethodName + "." + statusCode;
    }

    public static String httpRequests(String endpoint) {
        return HTTP_REQUESTS_PREFIX + endpoint;
    }

    public static String httpResponses(String endpoint, String statusClass) {
        return HTTP_RESPONSES_PREFIX + endpoint + "." + statusClass;
    }

    /**
     * How our Dropwizard gauges are named in Prometheus. Other gauges (JVM, and any added later) keep
     * the client's default translation, lower-cased.
     */
    static List<PrometheusFamily> prometheusFamilies() {
        return List.of(
                PrometheusFamily.exact(ADMISSION_IN_FLIGHT, "image_admission_in_flight"),
                PrometheusFamily.exact(ADMISSION_QUEUED, "image_admission_queued"),
                PrometheusFamily.exact(MEMORY_BUDGET, "image_memory_budget_bytes"),
                PrometheusFamily.exact(MEMORY_IN_USE, "image_memory_in_use_bytes"),
                PrometheusFamily.exact(MEMORY_WAITING, "image_memory_waiting_bytes"),
                PrometheusFamily.exact(ADMISSION_MAX_IN_FLIGHT, "image_admission_max_in_flight"),
                PrometheusFamily.exact(ADMISSION_MAX_QUEUED, "image_admission_max_queued"),
                PrometheusFamily.exact(ADMISSION_LOAD, "image_admission_load"),
                PrometheusFamily.exact(ADMISSION_PIXELS_UTILISATION, "image_admission_pixels_utilisation"),
                PrometheusFamily.labelled(API_KEY_ACCEPTED_PREFIX, "api_key_accepted", "client"),
                PrometheusFamily.exact(API_KEY_REFUSED, "api_key_refused"));
    }
}
