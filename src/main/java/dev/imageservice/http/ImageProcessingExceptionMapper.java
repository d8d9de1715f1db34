package dev.imageservice.http;

import dev.imageservice.ops.requests.RequestIds;
import dev.imageservice.processing.ImageProcessingException;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where processing failures become HTTP statuses. The body has the same
 * {@code {"code": ..., "message": ...}} shape as Dropwizard's own errors (wrong method, wrong media
 * type, unknown path), so a client parses every error the same way.
 */
public final class ImageProcessingExceptionMapper implements ExceptionMapper<ImageProcessingException> {
    private static final Logger LOG = LoggerFactory.getLogger(ImageProcessingExceptionMapper.class);

    @Override
    public Response toResponse(ImageProcessingException e) {
        int status = statusOf(e.kind());
        String message = e.getMessage();
        if (e.kind() == ImageProcessingException.Kind.INTERNAL) {
            // A bug or a codec failure: the client gets an id, the log gets the id and the stack trace.
            String id = RequestIds.currentOrCreate(); // the request's id: the caller has it too;
            LOG.error("internal error {} while processing an image", id, e);
            message = "internal error (id " + id + ")";
        }
        Response.ResponseBuilder response = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(status, message));
        if (e.kind() == ImageProcessingException.Kind.OVERLOADED || e.kind() == ImageProcessingException.Kind.SHUTTING_DOWN) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    /** Seconds a refused client should wait: long enough for the queue to move, short enough to retry soon. */
    static final int RETRY_AFTER_SECONDS = 1;

    static int statusOf(ImageProcessingException.Kind kind) {
        return switch (kind) {
            case INVALID_IMAGE, INVALID_OPTIONS -> 400;
            case UNSUPPORTED_FORMAT -> 415;
            case TOO_MANY_BYTES -> 413;
            case TOO_MANY_PIXELS -> 422; // well-formed, but more than we will decode
            case OVERLOADED, DEADLINE_EXCEEDED, SHUTTING_DOWN -> 503;
            // The client is gone and will not read this; 499 is the de-facto "client closed request".
            case CANCELLED -> 499;
            case INTERNAL -> 500;
        };
    }
}
