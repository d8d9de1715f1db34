package dev.imageservice.grpc;

import dev.imageservice.ops.requests.RequestIds;
import dev.imageservice.processing.ImageProcessingException;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become gRPC statuses. */
final class GrpcStatuses {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {
    }

    static Status of(ImageProcessingException e) {
        Status status = switch (e.kind()) {
            case INVALID_IMAGE, INVALID_OPTIONS, UNSUPPORTED_FORMAT, TOO_MANY_PIXELS -> Status.INVALID_ARGUMENT;
            case TOO_MANY_BYTES, OVERLOADED -> Status.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case CANCELLED -> Status.CANCELLED;
            case INTERNAL -> null;
        };
        return status == null ? internal(e) : status.withDescription(e.getMessage());
    }

    static Status outOfMemory() {
        LOG.warn("out of memory while taking an image in; refused it as overloaded");
        return Status.RESOURCE_EXHAUSTED.withDescription("not enough memory for this image right now; try again later");
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
}
