package dev.imageservice.security;

import org.slf4j.MDC;

/**
 * The name a request is known by in the logs: the name of its API key. Kept in the logging
 * context under {@value #MDC_KEY} while the request's code runs.
 */
public final class ClientIdentity {
    /** The logging context key; config.yml's log format prints it. */
    public static final String MDC_KEY = "client";

    private ClientIdentity() {
    }

    /** Runs {@code action} with {@code name} in the logging context, restoring what was there. */
    static void withName(String name, Runnable action) {
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, name);
        try {
            action.run();
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }
}
