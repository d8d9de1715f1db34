package dev.imageservice.ops.requests;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The id of one request: the caller's {@code X-Request-Id} (HTTP) or {@code x-request-id} metadata
 * (gRPC) when it is a sensible token, otherwise one made here. It is echoed in the answer, is in
 * every log line of the request (the MDC key {@link #MDC_REQUEST_ID}), and is the id of an internal
 * error's message, so that a caller can find its request in the log.
 */
public final class RequestIds {
    /** The HTTP header (gRPC metadata keys are the same, lower-cased). */
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_REQUEST_ID = "requestId";
    public static final String MDC_TRACE_ID = "traceId";
    public static final String MDC_SPAN_ID = "spanId";
    /** What a caller's id may be: printable, no spaces or quotes, so that it is safe in logs and headers. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:/+=@-]{1,128}");

    private RequestIds() {
    }

    /** The caller's id if it is acceptable, else a new one. */
    public static String acceptOrCreate(String given) {
        return given != null && ACCEPTED.matcher(given).matches() ? given : create();
    }

    /** A new id: 16 hex digits (64 random bits). */
    public static String create() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    /** The id of the request this thread works for, or a new one outside a request. */
    public static String currentOrCreate() {
        String id = MDC.get(MDC_REQUEST_ID);
        return id != null ? id : create();
    }
}
