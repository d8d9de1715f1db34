package dev.imageservice.grpc;

import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/**
 * The logging context (request id, client, trace) of the thread that starts a call, carried to the
 * threads that finish it: an image is answered on the worker that processed it and a stall is
 * noticed on a timer, and their log lines must name the request like the call's own callbacks do.
 */
final class LogContext {
    private final Map<String, String> values;

    private LogContext(Map<String, String> values) {
        this.values = values;
    }

    /** The current thread's context. */
    static LogContext capture() {
        return new LogContext(MDC.getCopyOfContextMap());
    }

    /** {@code action}, run with this context and the thread's own put back afterwards. */
    <T, U> BiConsumer<T, U> wrap(BiConsumer<T, U> action) {
        return (t, u) -> run(() -> action.accept(t, u));
    }

    /** {@code action}, run with this context and the thread's own put back afterwards. */
    Runnable wrap(Runnable action) {
        return () -> run(action);
    }

    private void run(Runnable action) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        if (values == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(values);
        }
        try {
            action.run();
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }
}
