package dev.imageservice.http;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over the limit before Jersey reads them. Jersey parses a multipart form
 * (spooling large parts to temporary files) before the resource method runs, so the resource alone
 * could only count the image after the whole upload had been received. Here a declared
 * {@code Content-Length} over the limit is answered with 413 before one byte of the body is read
 * (so a client that sent {@code Expect: 100-continue} never sends it), and a body of unknown length
 * is cut off as soon as it passes the limit.
 */
public final class RequestSizeLimitFilter implements ContainerRequestFilter {
    /** Room for a multipart form's boundaries, part headers and small extra fields. */
    static final long MULTIPART_OVERHEAD_BYTES = 64 * 1024;

    private final long maxInputBytes;

    public RequestSizeLimitFilter(long maxInputBytes) {
        this.maxInputBytes = maxInputBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // Not request.hasEntity(): it peeks at the body, which makes Jetty answer "100 Continue" and
        // the client send everything we are about to refuse.
        boolean multipart = request.getMediaType() != null
                && MediaType.MULTIPART_FORM_DATA_TYPE.isCompatible(request.getMediaType());
        long allowed = multipart ? maxInputBytes + MULTIPART_OVERHEAD_BYTES : maxInputBytes;
        long declared = declaredLength(request);
        if (declared > allowed) {
            throw BoundedInput.tooLarge(maxInputBytes);
        }
        // The raw body is counted again by the resource; this matters for multipart of unknown length.
        LimitedInputStream counted = new LimitedInputStream(request.getEntityStream(), allowed, maxInputBytes);
        request.setProperty(COUNTED_BODY, counted);
        request.setEntityStream(counted);
    }

    private static final String COUNTED_BODY = RequestSizeLimitFilter.class.getName() + ".body";

    /**
     * Whether the whole body was read: the end of the stream, or every declared byte, went through
     * this filter's count. False when the request was answered before the filter ran.
     */
    static boolean bodyRead(ContainerRequestContext request) {
        return request.getProperty(COUNTED_BODY) instanceof LimitedInputStream counted
                && (counted.ended || (request.getLength() > 0 && counted.count >= request.getLength()));
    }

    private static long declaredLength(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            // Jetty has already refused a malformed Content-Length; nothing to decide here.
            return -1;
        }
    }

    /** Fails the read that goes past {@code allowed} bytes. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long allowed;
        private final long limitToReport;
        private long count;
        private boolean ended;

        LimitedInputStream(InputStream in, long allowed, long limitToReport) {
            super(in);
            this.allowed = allowed;
            this.limitToReport = limitToReport;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            } else {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            } else if (n < 0) {
                ended = true;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            count += n;
            if (count > allowed) {
                throw BoundedInput.tooLarge(limitToReport);
            }
        }
    }
}
