package dev.imageservice.ops.requests;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * Puts one request's ids (request id, trace and span id when there is a trace) into the logging MDC
 * of the current thread, and on close puts back what was there: a thread that works for several
 * requests in turn (gRPC's executor, Jetty's pool) never logs with another request's ids.
 */
final class RequestMdc implements AutoCloseable {
    private final String previousRequestId;
    private final String previousTraceId;
    private final String previousSpanId;

    private RequestMdc(String requestId, SpanContext span) {
        previousRequestId = MDC.get(RequestIds.MDC_REQUEST_ID);
        previousTraceId = MDC.get(RequestIds.MDC_TRACE_ID);
        previousSpanId = MDC.get(RequestIds.MDC_SPAN_ID);
        MDC.put(RequestIds.MDC_REQUEST_ID, requestId);
        if (span.isValid()) {
            MDC.put(RequestIds.MDC_TRACE_ID, span.getTraceId());
            MDC.put(RequestIds.MDC_SPAN_ID, span.getSpanId());
        } else {
            MDC.remove(RequestIds.MDC_TRACE_ID);
            MDC.remove(RequestIds.MDC_SPAN_ID);
        }
    }

    static RequestMdc enter(String requestId, SpanContext span) {
        return new RequestMdc(requestId, span);
    }

    @Override
    public void close() {
        restore(RequestIds.MDC_REQUEST_ID, previousRequestId);
        restore(RequestIds.MDC_TRACE_ID, previousTraceId);
        restore(RequestIds.MDC_SPAN_ID, previousSpanId);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
