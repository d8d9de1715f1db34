package dev.imageservice.security;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body that stops arriving (idle timeout, too slow for the minimum data rate) or ends
 * before its Content-Length: 408 or 400 with a JSON message, logged as one INFO line. Left to
 * Dropwizard, it was a 500 with an ERROR stack trace, as if it were our bug.
 */
public final class BodyReadFailureMapper implements ExceptionMapper<IOException> {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReadFailureMapper.class);

    @Override
    public Response toResponse(IOException e) {
        boolean timedOut = causedByTimeout(e);
        int status = timedOut ? 408 : 400;
        String message = timedOut ? "the request body stopped arriving before it was complete"
                : "the request body could not be read to its end";
        LOG.info("HTTP request body not read: {} ({})", message, e.getMessage());
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorMessage(status, message))
                .header("Connection", "close").build();
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                    || String.valueOf(t.getMessage()).contains("data rate")) {
                return true;
            }
        }
        return false;
    }

    /** Jetty's own refusal while the body is read, e.g. "408: Request content data rate < 1024 B/s". */
    public static final class JettyBadMessage implements ExceptionMapper<org.eclipse.jetty.http.BadMessageException> {
        @Override
        public Response toResponse(org.eclipse.jetty.http.BadMessageException e) {
            int status = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
            String message = status == 408 ? "the request body arrived too slowly" : "the request is malformed";
            LOG.info("HTTP request refused by Jetty: {} ({})", message, e.getMessage());
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorMessage(status, message))
                    .header("Connection", "close").build();
        }
    }
}
