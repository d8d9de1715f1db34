package dev.imageservice.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Answers that leave part of the request body unread (a refusal decided from the query, the headers
 * or the declared length) say {@code Connection: close}. Jetty cannot keep such a connection: the
 * rest of the body would be read as the next request, so it closes the connection after the answer.
 * Said in the answer, a client opens a new connection for its next request instead of sending it on
 * one that is about to close and getting no answer at all.
 *
 * <p>What was read is counted on the way through the entity stream, not asked of the servlet input:
 * asking it would make Jetty send {@code 100 Continue} to a client whose body is being refused.
 */
public final class UnreadBodyCloser implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String COUNTER = UnreadBodyCloser.class.getName() + ".counter";

    @Override
    public void filter(ContainerRequestContext request) {
        if (declaresBody(request)) {
            Counter counter = new Counter(request.getEntityStream(), request.getLength());
            request.setProperty(COUNTER, counter);
            request.setEntityStream(counter);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!declaresBody(request)) {
            return;
        }
        Counter counter = (Counter) request.getProperty(COUNTER);
        if (counter == null || !counter.finished()) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }

    private static boolean declaresBody(ContainerRequestContext request) {
        return request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null
                // Jersey reports -1 for a body of unknown length as for none; the header tells them apart.
                || request.getHeaderString(HttpHeaders.CONTENT_LENGTH) != null && request.getLength() != 0;
    }

    /** Counts the body's bytes as they are read; finished once all declared bytes or the end were seen. */
    private static final class Counter extends FilterInputStream {
        private final long declared;
        private long read;
        private boolean ended;

        Counter(InputStream in, long declared) {
            super(in);
            this.declared = declared;
        }

        boolean finished() {
            return ended || (declared > 0 && read >= declared);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            read += Math.max(0, skipped);
            return skipped;
        }

        private void count(int n) {
            if (n < 0) {
                ended = true;
            } else {
                read += n;
            }
        }
    }
}
