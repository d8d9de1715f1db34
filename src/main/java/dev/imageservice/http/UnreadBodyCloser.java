package dev.imageservice.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import java.io.IOException;

/**
 * Answers that leave part of the request body unread (a refusal decided from the query, the headers
 * or the declared length) say {@code Connection: close}. Jetty cannot keep such a connection: the
 * rest of the body would be read as the next request, so it closes the connection after the answer.
 * Said in the answer, a client opens a new connection for its next request instead of sending it on
 * one that is about to close and getting no answer at all.
 */
public final class UnreadBodyCloser implements ContainerResponseFilter {
    static final String CLOSE = "close";

    @Context
    private HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext requestContext, ContainerResponseContext response) {
        if (declaresBody(request) && !bodyFinished(request)) {
            response.getHeaders().putSingle("Connection", CLOSE);
        }
    }

    private static boolean declaresBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean bodyFinished(HttpServletRequest request) {
        try {
            return request.getInputStream().isFinished();
        } catch (IOException | IllegalStateException e) {
            return false; // read through a reader, or the connection is failing: do not reuse it
        }
    }
}
