package dev.imageservice.grpc;

import dev.imageservice.ops.requests.RequestIds;
import dev.imageservice.processing.ImageProcessingException;
import io.grpc.Status;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become gRPC statuses, for the unary and the streaming call alike:
 * every throwable that ends an image call passes through {@link #of(Throwable)}.
 */
final class GrpcStatuses {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {
    }

    /** The status for whatever ended a call: a refusal, a memory shortage, or a bug (logged with an id). */
    static Status of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ImageProcessingException e) {
            return of(e);
        }
        if (t instanceof OutOfMemoryError) {
            // The budget is meant to make this impossible; if the heap is smaller than the budget
            // assumes, this call is refused as overloaded and the process goes on.
            LOG.warn("out of memory while handling an image call; refused it as overloaded");
            return Status.RESOURCE_EXHAUSTED.withDescription("not enough memory for this image right now; try again later");
        }
        if (t instanceof CancellationException) {
            return Status.CANCELLED.withDescription("the call was cancelled");
        }
        return internal(t);
    }

    static Status of(ImageProcessingException e) {
        Status status = switch (e.kind()) {
            case INVALID_IMAGE, INVALID_OPTIONS, UNSUPPORTED_FORMAT, TOO_MANY_PIXELS -> Status.INVALID_ARGUMENT;
            case TOO_MANY_BYTES, OVERLOADED -> Status.RESOURCE_EXHAUSTED;
            case SHUTTING_DOWN -> Status.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case CANCELLED -> Status.CANCELLED;
            case INTERNAL -> null;
        };
        return status == null ? internal(e) : status.withDescription(e.getMessage());
    }

    /**
     * A bug or an unexpected failure: the client gets a generic message with an id, the log gets
     * the same id and the stack trace.
     */
    static Status internal(Throwable t) {
        String id = RequestIds.currentOrCreate(); // the request's id: the caller has it too;
        LOG.error("internal error {} while processing an image", id, t);
        return Status.INTERNAL.withDescription("internal error (id " + id + ")");
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
