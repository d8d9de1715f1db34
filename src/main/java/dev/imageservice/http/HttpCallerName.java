package dev.imageservice.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who an HTTP request comes from, for the fair shares of the admission queue: the name of its API
 * key when keys are on (the key filter sets {@link #ATTRIBUTE}), else the client's IP address. Behind
 * a proxy every request has the proxy's address: use API keys to tell such clients apart.
 */
public final class HttpCallerName {
    /** The request attribute (JAX-RS property) that holds the API key's name. */
    public static final String ATTRIBUTE = "dev.imageservice.client";

    private HttpCallerName() {
    }

    static String of(HttpServletRequest request) {
        Object name = request.getAttribute(ATTRIBUTE);
        if (name instanceof String named && !named.isEmpty()) {
            return named;
        }
        String address = request.getRemoteAddr();
        return address == null ? "" : address;
    }
}
