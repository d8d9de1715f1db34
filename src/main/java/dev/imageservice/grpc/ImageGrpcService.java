package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.RequestContext;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code image.ImageService} over gRPC: converts messages, delegates to the processor, maps errors. */
public final class ImageGrpcService extends ImageServiceGrpc.ImageServiceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ImageGrpcService.class);
    /** Size of the chunks in which {@code ProcessImageStream} sends its answer. */
    public static final int STREAM_CHUNK_BYTES = ImageStreamCall.RESPONSE_CHUNK_BYTES;

    private final ImageProcessor processor;
    private final long maxInputBytes;
    private final long streamIdleTimeoutNanos;
    private final ScheduledExecutorService idleChecks;

    /** One timer thread for the whole process: each check is a few field reads. */
    private static final ScheduledExecutorService IDLE_CHECKS = idleCheckScheduler();

    private static ScheduledExecutorService idleCheckScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "grpc-stream-idle-check");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true); // finished calls leave no timer behind
        return scheduler;
    }

    /**
     * @param maxInputBytes          the byte limit, enforced on streamed uploads as chunks arrive
     * @param streamIdleTimeoutNanos how long a streaming client may send or read nothing
     */
    public ImageGrpcService(ImageProcessor processor, long maxInputBytes, long streamIdleTimeoutNanos) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.maxInputBytes = maxInputBytes;
        this.streamIdleTimeoutNanos = streamIdleTimeoutNanos;
        this.idleChecks = IDLE_CHECKS;
    }

    @Override
    public StreamObserver<ImageChunk> processImageStream(StreamObserver<ImageChunk> responses) {
        return new ImageStreamCall((ServerCallStreamObserver<ImageChunk>) responses, processor, maxInputBytes,
                streamIdleTimeoutNanos, idleChecks);
    }

    @Override
    public void processImage(ImageRequest request, StreamObserver<ImageResponse> responses) {
        long start = System.nanoTime();
        ByteString input = request.getImageData();
        ProcessedImage result;
        try {
            result = processor.process(new ByteStringImage(input), ProtoOptions.of(request), requestContext());
        } catch (ImageProcessingException e) {
            LOG.info("ProcessImage refused: in={} B: {}: {}", input.size(), e.kind(), e.getMessage());
            fail(responses, GrpcStatuses.of(e));
            return;
        } catch (RuntimeException e) {
            fail(responses, GrpcStatuses.internal(e));
            return;
        } catch (OutOfMemoryError e) {
            // Copying the request did not fit: refuse it rather than let gRPC answer UNKNOWN.
            fail(responses, GrpcStatuses.outOfMemory());
            return;
        }
        // The processor hands over a fresh array it never touches again, so wrapping it is safe.
        responses.onNext(ImageResponse.newBuilder()
                .setImageData(UnsafeByteOperations.unsafeWrap(result.output()))
                .build());
        responses.onCompleted();
        if (LOG.isInfoEnabled()) {
            LOG.info("ProcessImage ok: in={} B out={} B image={} {} in {} ms", input.size(), result.output().length,
                    result.info(), result.inputFormat().displayName(), millis(System.nanoTime() - start));
        }
    }

    /** The caller's deadline and cancellation, as the processor understands them. */
    static RequestContext requestContext() {
        Context context = Context.current();
        Deadline deadline = context.getDeadline();
        return deadline == null
                ? RequestContext.withoutDeadline(context::isCancelled)
                : RequestContext.withDeadline(deadline.timeRemaining(TimeUnit.NANOSECONDS), context::isCancelled);
    }

    private static void fail(StreamObserver<?> responses, Status status) {
        if (responses instanceof ServerCallStreamObserver<?> call && call.isCancelled()) {
            return; // nobody is listening any more
        }
        responses.onError(status.asRuntimeException());
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
