package dev.imageservice.http;

import dev.imageservice.processing.ImageProcessingException;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
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
        Response.Status status = statusOf(e.kind());
        String message = e.getMessage();
        if (e.kind() == ImageProcessingException.Kind.INTERNAL) {
            // A bug or a codec failure: the client gets an id, the log gets the id and the stack trace.
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} while processing an image", id, e);
            message = "internal error (id " + id + ")";
        }
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(status.getStatusCode(), message))
                .build();
    }

    static Response.Status statusOf(ImageProcessingException.Kind kind) {
        return switch (kind) {
            case INVALID_IMAGE -> Response.Status.BAD_REQUEST;
            case UNSUPPORTED_FORMAT -> Response.Status.UNSUPPORTED_MEDIA_TYPE;
            case TOO_MANY_BYTES -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
            case INTERNAL -> Response.Status.INTERNAL_SERVER_ERROR;
        };
    }
}
