package dev.imageservice.http;

import dev.imageservice.processing.RequestContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * What an HTTP request tells the processor about its caller: a deadline, when a proxy in front
 * announces one, and whether the caller is gone, as far as Jetty knows.
 *
 * <p>HTTP has no standard request deadline. The one widely deployed convention is Envoy's
 * {@value #ENVOY_TIMEOUT_HEADER}: the time in milliseconds the proxy will wait for the answer, set
 * "so that the upstream host can make decisions based on the request timeout, e.g. early exit"
 * (Envoy's router documentation). That is exactly how the processor uses it. RFC 7240's
 * {@code Prefer: wait=N} was not taken: it asks for an asynchronous answer after N seconds, not
 * for giving up.
 *
 * <p>A caller that goes away is noticed only when Jetty reports a failure of the request, e.g. a
 * reset HTTP/2 stream. An HTTP/1.1 client that simply closes its connection while its request
 * waits for admission is not noticed: Jetty does not read from a connection while a blocking
 * handler runs, so it learns of the close only when it writes the answer. Such a request waits at
 * most {@code limits.maxQueueWait} (or its deadline); if it is admitted, it is processed and the
 * answer discarded.
 */
final class HttpRequestContexts {
    /** Envoy's expected request timeout, in milliseconds. */
    static final String ENVOY_TIMEOUT_HEADER = "x-envoy-expected-rq-timeout-ms";

    private HttpRequestContexts() {
    }

    /** The caller of {@code request}: its name, its announced deadline, if any, and whether it has gone away. */
    static RequestContext of(HttpServletRequest request) {
        BooleanSupplier gone = callerGone(request);
        long timeoutMillis = timeoutMillis(request.getHeader(ENVOY_TIMEOUT_HEADER));
        return (timeoutMillis < 0
                ? RequestContext.withoutDeadline(gone)
                : RequestContext.withDeadline(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), gone))
                .withClient(HttpCallerName.of(request)); // fair shares of the admission queue
    }

    /** The header's milliseconds, or -1 when absent or not a number (then it is simply ignored). */
    static long timeoutMillis(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            long millis = Long.parseLong(header.trim());
            // Envoy sends 0 for "no timeout"; a negative value means nothing either.
            return millis > 0 ? millis : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Runs {@code action} when Jetty reports a failure of the request (the caller is gone). */
    static void onCallerGone(HttpServletRequest servletRequest, Runnable action) {
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(servletRequest);
        if (jettyRequest != null) {
            jettyRequest.addFailureListener(failure -> action.run());
        }
    }

    /** True once Jetty has reported a failure of the request: the caller will not read an answer. */
    private static BooleanSupplier callerGone(HttpServletRequest servletRequest) {
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(servletRequest);
        if (jettyRequest == null) {
            return () -> false; // not served by Jetty's servlet layer: nothing to listen to
        }
        AtomicBoolean failed = new AtomicBoolean();
        jettyRequest.addFailureListener(failure -> failed.set(true));
        return failed::get;
    }
}
