package dev.imageservice.ops;

import dev.imageservice.processing.ImageProcessingException;
import java.util.List;

/**
 * Every metric the service defines, in one place: the names in Dropwizard's registry (admin
 * {@code /metrics}) and how each appears in Prometheus (admin {@code /prometheus}).
 *
 * <p>Dropwizard names are flat, so a label such as the gRPC method is a part of the name. The
 * variable part always comes after a fixed prefix, and a second label (status code, status class)
 * is the last dot-separated segment, so that {@link #prometheusFamilies()} can turn the parts back
 * into Prometheus labels. Timers are in seconds in Prometheus; meters become {@code _total} counters.
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
    /** Gauge: requests waiting for admission now. */
    public static final String ADMISSION_QUEUED = "image.admission.queued";
    /** Gauge: decoded pixels of the images in work now. */
    public static final String ADMISSION_PIXELS_IN_FLIGHT = "image.admission.pixels-in-flight";
    /**
     * Gauge: the autoscaling signal, demand per processing slot: (images in work + requests waiting)
     * / limits.maxConcurrent. Up to 1 the slots keep up; above 1 requests queue (2 = one waits for
     * every one in work). See docs/SCALING.md.
     */
    public static final String ADMISSION_LOAD = "image.admission.load";
    /** Gauge: decoded pixels in work / limits.maxMegapixelsInFlight, 0 to 1: the pixel budget used. */
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
     * How our Dropwizard names map to Prometheus names and labels. Anything not listed here (JVM,
     * Jetty and Jersey metrics of Dropwizard itself) keeps the client's default translation.
     */
    static List<PrometheusFamily> prometheusFamilies() {
        return List.of(
                PrometheusFamily.exact(PROCESS, "image_processing_seconds"),
                PrometheusFamily.labelled(STAGE_PREFIX, "image_processing_stage_seconds", "stage"),
                PrometheusFamily.labelled(OPERATION_PREFIX, "image_processing_operation_seconds", "operation"),
                PrometheusFamily.labelled(FAILED_PREFIX, "image_processing_failed", "kind"),
                PrometheusFamily.exact(INPUT_BYTES, "image_processing_input_bytes"),
                PrometheusFamily.exact(OUTPUT_BYTES, "image_processing_output_bytes"),
                PrometheusFamily.exact(DECODED_PIXELS, "image_processing_decoded_pixels"),
                PrometheusFamily.exact(ADMISSION_IN_FLIGHT, "image_admission_in_flight"),
                PrometheusFamily.exact(ADMISSION_QUEUED, "image_admission_queued"),
                PrometheusFamily.exact(ADMISSION_PIXELS_IN_FLIGHT, "image_admission_pixels_in_flight"),
                PrometheusFamily.exact(ADMISSION_LOAD, "image_admission_load"),
                PrometheusFamily.exact(ADMISSION_PIXELS_UTILISATION, "image_admission_pixels_utilisation"),
                PrometheusFamily.labelled(GRPC_CALLS_PREFIX, "grpc_server_call_seconds", "method"),
                PrometheusFamily.labelled(GRPC_HANDLED_PREFIX, "grpc_server_handled", "method", "code"),
                PrometheusFamily.labelled(HTTP_REQUESTS_PREFIX, "http_server_request_seconds", "endpoint"),
                PrometheusFamily.labelled(HTTP_RESPONSES_PREFIX, "http_server_responses", "endpoint", "status_class"),
                PrometheusFamily.labelled(API_KEY_ACCEPTED_PREFIX, "api_key_accepted", "client"),
                PrometheusFamily.exact(API_KEY_REFUSED, "api_key_refused"));
    }
}
