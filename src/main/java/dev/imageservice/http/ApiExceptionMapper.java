package dev.imageservice.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imageservice.ops.requests.RequestIds;
import dev.imageservice.processing.ImageProcessingException;
import io.dropwizard.jersey.errors.ErrorMessage;
import io.dropwizard.jersey.jackson.JsonProcessingExceptionMapper;
import io.dropwizard.jersey.validation.JerseyViolationException;
import io.dropwizard.jersey.validation.JerseyViolationExceptionMapper;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.glassfish.jersey.server.internal.LocalizationMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a throwable on the HTTP API becomes a status. Every body has the shape of
 * Dropwizard's errors, {@code {"code": ..., "message": ...}}, so a client parses every error the same
 * way; a bug or an unexpected failure is a 500 whose message carries the request's id, the same id
 * the log line (with the stack trace) has. Dropwizard's default mappers are switched off by the
 * application, so no other mapper competes for a type (the gRPC twin is {@code GrpcStatuses}).
 */
public final class ApiExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMapper.class);

    /** Seconds a refused client should wait: long enough for the queue to move, short enough to retry soon. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final JerseyViolationExceptionMapper violations = new JerseyViolationExceptionMapper();
    private final JsonProcessingExceptionMapper json = new JsonProcessingExceptionMapper(false);

    @Override
    public Response toResponse(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof ImageProcessingException e) {
            return processing(e);
        }
        if (t instanceof WebApplicationException e) {
            return web(e);
        }
        if (t instanceof BadMessageException e) {
            // Jetty's own refusal while the body is read, e.g. "408: Request content data rate < 1024 B/s".
            int status = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
            String message = status == 408 ? "the request body arrived too slowly" : "the request is malformed";
            LOG.info("HTTP request refused by Jetty: {} ({})", message, e.getMessage());
            return closing(status, message);
        }
        if (t instanceof IOException e) {
            // A body that stops arriving or ends before its Content-Length: the client's doing, not our bug.
            boolean timedOut = causedByTimeout(e);
            String message = timedOut ? "the request body stopped arriving before it was complete"
                    : "the request body could not be read to its end";
            LOG.info("HTTP request body not read: {} ({})", message, e.getMessage());
            return closing(timedOut ? 408 : 400, message);
        }
        if (t instanceof IllegalStateException && LocalizationMessages.FORM_PARAM_CONTENT_TYPE_ERROR().equals(t.getMessage())) {
            // Jersey's way of saying a form resource got another content type.
            return web(new NotSupportedException());
        }
        if (t instanceof JerseyViolationException e) {
            return violations.toResponse(e);
        }
        if (t instanceof JsonProcessingException e) {
            return json.toResponse(e);
        }
        if (t instanceof CancellationException) {
            return processing(new ImageProcessingException(ImageProcessingException.Kind.CANCELLED, "the request was cancelled"));
        }
        if (t instanceof OutOfMemoryError) {
            // The budget is meant to make this impossible; if the heap is smaller than the budget
            // assumes, this request is refused as overloaded and the process goes on.
            LOG.warn("out of memory while handling an HTTP request; refused it as overloaded");
            return processing(new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                    "not enough memory for this image right now; try again later"));
        }
        return internal(t);
    }

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

    private static Response processing(ImageProcessingException e) {
        if (e.kind() == ImageProcessingException.Kind.INTERNAL) {
            return internal(e);
        }
        int status = statusOf(e.kind());
        Response.ResponseBuilder response = json(status, e.getMessage());
        if (e.kind() == ImageProcessingException.Kind.OVERLOADED || e.kind() == ImageProcessingException.Kind.SHUTTING_DOWN) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    /** A WebApplicationException keeps its status (a redirect its whole response), as in Dropwizard's mapper. */
    private static Response web(WebApplicationException e) {
        Response response = e.getResponse();
        Response.Status.Family family = response.getStatusInfo().getFamily();
        if (family == Response.Status.Family.REDIRECTION) {
            return response;
        }
        if (family == Response.Status.Family.SERVER_ERROR) {
            LOG.error("server error {} while handling a request", RequestIds.currentOrCreate(), e);
        }
        return Response.fromResponse(response).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorMessage(response.getStatus(), e.getLocalizedMessage())).build();
    }

    /** A bug or an unexpected failure: the client gets the request's id, the log the same id and the stack trace. */
    private static Response internal(Throwable t) {
        String id = RequestIds.currentOrCreate();
        LOG.error("internal error {} while handling a request", id, t);
        return json(500, "internal error (id " + id + ")").build();
    }

    private static Response.ResponseBuilder json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorMessage(status, message));
    }

    /** A refusal while the body was being read: the rest of it is not worth reading, so the connection closes. */
    private static Response closing(int status, String message) {
        return json(status, message).header("Connection", "close").build();
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || String.valueOf(t.getMessage()).contains("data rate")) {
                return true;
            }
        }
        return false;
    }
}
