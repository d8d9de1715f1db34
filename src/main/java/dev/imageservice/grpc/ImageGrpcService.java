package dev.imageservice.grpc;

import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.RequestContext;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;


/**
 * {@code image.ImageService} over gRPC: converts messages, delegates to the processor, maps errors
 * ({@link GrpcStatuses}). No call holds a thread while it waits for admission.
 */
public final class ImageGrpcService extends ImageServiceGrpc.ImageServiceImplBase {
    /** Size of the chunks in which {@code ProcessImageStream} sends its answer. */
    public static final int STREAM_CHUNK_BYTES = ImageStreamCall.RESPONSE_CHUNK_BYTES;

    private final ImageProcessor processor;
    private final AdmissionController budget;
    private final long maxInputBytes;
    private final long idleTimeoutNanos;
    private final ScheduledExecutorService timer;

    /**
     * @param budget           the memory budget that inputs and unwritten answers count against
     * @param maxInputBytes    the byte limit, enforced on streamed uploads as chunks arrive
     * @param idleTimeoutNanos how long a client may send nothing (streaming) or leave its answer unread
     * @param timer            runs the idle and stall checks (a few field reads each)
     */
    public ImageGrpcService(ImageProcessor processor, AdmissionController budget, long maxInputBytes,
            long idleTimeoutNanos, ScheduledExecutorService timer) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.maxInputBytes = maxInputBytes;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    @Override
    public StreamObserver<ImageChunk> processImageStream(StreamObserver<ImageChunk> responses) {
        return new ImageStreamCall((ServerCallStreamObserver<ImageChunk>) responses, processor, budget, maxInputBytes,
                idleTimeoutNanos, timer);
    }

    @Override
    public void processImage(ImageRequest request, StreamObserver<ImageResponse> responses) {
        new UnaryImageCall((ServerCallStreamObserver<ImageResponse>) responses, idleTimeoutNanos, timer)
                .start(request, processor, budget);
    }

    /** The caller's deadline, cancellation and name, as the processor understands them. */
    static RequestContext requestContext() {
        Context context = Context.current();
        Deadline deadline = context.getDeadline();
        return (deadline == null
                ? RequestContext.withoutDeadline(context::isCancelled)
                : RequestContext.withDeadline(deadline.timeRemaining(TimeUnit.NANOSECONDS), context::isCancelled))
                .withClient(CallerName.current()); // fair shares of the admission queue
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
