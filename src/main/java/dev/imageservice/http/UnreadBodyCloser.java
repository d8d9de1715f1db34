package dev.imageservice.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Answers that leave part of the request body unread (a refusal decided from the query, the headers
 * or the declared length) say {@code Connection: close}. Jetty cannot keep such a connection: the
 * rest of the body would be read as the next request, so it closes the connection after the answer.
 * Said in the answer, a client opens a new connection for its next request instead of sending it on
 * one that is about to close and getting no answer at all.
 *
 * <p>What was read is known from {@link RequestSizeLimitFilter}'s count of the entity stream, not
 * asked of the servlet input: asking it would make Jetty send {@code 100 Continue} to a client whose
 * body is being refused.
 */
public final class UnreadBodyCloser implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (declaresBody(request) && !RequestSizeLimitFilter.bodyRead(request)) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }

    /** A declared length, or a chunked body (Jersey reports -1 for unknown length as for none). */
    private static boolean declaresBody(ContainerRequestContext request) {
        return request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
    }
}
