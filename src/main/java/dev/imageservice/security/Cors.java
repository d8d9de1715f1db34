package dev.imageservice.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.handler.CrossOriginHandler;

/**
 * CORS for the application port, off unless origins are listed (env CORS_ORIGINS): only those
 * origins may call the API from a browser, with the API key header, and read the answer's
 * headers. Jetty's CrossOriginHandler does the protocol, preflights included.
 */
final class Cors {
    private Cors() {
    }

    static CrossOriginHandler handler(List<String> origins) {
        CrossOriginHandler cors = new CrossOriginHandler();
        // Jetty takes patterns; an origin given here is matched exactly.
        cors.setAllowedOriginPatterns(origins.stream().map(Pattern::quote).collect(Collectors.toSet()));
        cors.setAllowedMethods(Set.of("GET", "POST", "HEAD"));
        cors.setAllowedHeaders(Set.of("Authorization", "Content-Type", "x-envoy-expected-rq-timeout-ms"));
        cors.setExposedHeaders(Set.of("Content-Disposition", "X-Processing-Time-Ms", "X-Image-Width", "X-Image-Height",
                "X-Input-Format", "Retry-After", "WWW-Authenticate"));
        cors.setAllowCredentials(false); // the key travels in a header, never in a cookie
        cors.setPreflightMaxAge(Duration.ofMinutes(10));
        return cors;
    }
}
