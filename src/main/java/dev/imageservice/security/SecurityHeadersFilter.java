package dev.imageservice.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Headers on every response of a port: the page may load only its own files (scripts, styles,
 * images; blob: for the images it shows and offers for download), never be framed, never have
 * its responses sniffed into another type, and never send its address to other sites.
 */
public final class SecurityHeadersFilter implements Filter {
    /** The page's policy: only its own files, no framing, no plugins, forms only to us. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob: data:; "
            + "connect-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            setHeaders(http);
            JsonErrors wrapped = new JsonErrors(http);
            chain.doFilter(request, wrapped);
            // An error status with no body of its own (the page's files answer a missing file so).
            if (http.getStatus() >= 400 && !http.isCommitted() && http.getContentType() == null) {
                wrapped.sendError(http.getStatus());
            }
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void setHeaders(HttpServletResponse http) {
        http.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        http.setHeader("X-Content-Type-Options", "nosniff");
        http.setHeader("Referrer-Policy", "no-referrer");
        http.setHeader("X-Frame-Options", "DENY"); // frame-ancestors for browsers that predate it
    }

    /**
     * Servlets' {@code sendError} (the page's files, Dropwizard's admin servlets) answered as the
     * API's JSON, {@code {"code": 404, "message": "Not Found"}}, with these headers kept (Jetty's
     * own sendError resets them and writes an HTML page).
     */
    static final class JsonErrors extends HttpServletResponseWrapper {
        JsonErrors(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String ignored) throws IOException {
            HttpServletResponse http = (HttpServletResponse) getResponse();
            if (http.isCommitted()) {
                throw new IllegalStateException("the response is already committed");
            }
            http.resetBuffer();
            http.setStatus(status);
            setHeaders(http);
            http.setContentType("application/json");
            http.setCharacterEncoding("UTF-8");
            http.getOutputStream().write(JsonErrorHandler.body(status).getBytes(StandardCharsets.UTF_8));
            http.flushBuffer();
        }
    }
}
