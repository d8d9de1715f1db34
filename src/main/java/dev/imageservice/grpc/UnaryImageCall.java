package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ProcessImage} call, from its message to the last byte of its answer. Its input counts
 * against the memory budget from the moment it is here (refused at once as RESOURCE_EXHAUSTED when
 * the budget has no room), waits for admission as a queue entry (no thread is held), and its answer
 * stays counted until gRPC has written it all (the call's close handler) or the call is cancelled.
 * A client that has not read the whole answer {@code stallTimeout} plus one second per MiB of it
 * (1 MiB/s) after it was handed to gRPC has its call reset (it sees CANCELLED), which frees the
 * answer's buffers; other calls on the same connection go on.
 */
final class UnaryImageCall {
    private static final Logger LOG = LoggerFactory.getLogger(UnaryImageCall.class);
    /** The slowest average reading of an answer that is waited for (1 MiB/s). */
    static final long MIN_READ_BYTES_PER_SECOND = 1 << 20;

    private final ServerCallStreamObserver<ImageResponse> call;
    private final Context context = Context.current();
    private final long start = System.nanoTime();
    private final long stallTimeoutNanos;
    private final ScheduledExecutorService timer;

    // Guarded by this.
    private AdmissionController.Lease input;
    private CompletableFuture<ProcessedImage> work;
    /** Gives the answer's memory back; the answer's array itself is not kept once gRPC has copied it. */
    private Runnable releaseResult;
    private ScheduledFuture<?> stallCheck;
    private boolean ended;

    UnaryImageCall(ServerCallStreamObserver<ImageResponse> call, long stallTimeoutNanos, ScheduledExecutorService timer) {
        this.call = call;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.timer = timer;
        // Both must be set before the service method returns.
        call.setOnCancelHandler(this::end);
        call.setOnCloseHandler(this::end);
    }

    void start(ImageRequest request, ImageProcessor processor, AdmissionController budget) {
        ByteString image = request.getImageData();
        ProcessingOptions options;
        CompletableFuture<ProcessedImage> started;
        synchronized (this) {
            try {
                options = ProtoOptions.of(request);
                input = budget.tryHold(image.size());
            } catch (ImageProcessingException e) {
                LOG.info("ProcessImage refused: in={} B: {}: {}", image.size(), e.kind(), e.getMessage());
                call.onError(GrpcStatuses.of(e).asRuntimeException());
                return;
            }
            started = processor.processAsync(new ByteStringImage(image), options, ImageGrpcService.requestContext());
            work = started;
        }
        LogContext log = LogContext.capture();
        started.whenComplete(log.wrap((processed, failure) -> answer(image.size(), processed, failure)));
    }

    private void answer(int inputBytes, ProcessedImage processed, Throwable failure) {
        synchronized (this) {
            if (ended) {
                if (processed != null) {
                    processed.release();
                }
                return;
            }
            releaseResult = processed == null ? null : processed.releaseMemory();
        }
        if (failure != null) {
            Status status = GrpcStatuses.of(failure);
            LOG.info("ProcessImage refused: in={} B: {}: {}", inputBytes, status.getCode(), status.getDescription());
            call.onError(status.asRuntimeException());
            return;
        }
        int outputBytes = processed.output().length;
        try {
            // The processor hands over a fresh array it never touches again, so wrapping it is safe.
            // gRPC copies it into its (direct) transport buffers here, where it stays counted until
            // written; the array is garbage from then on.
            call.onNext(ImageResponse.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(processed.output())).build());
            call.onCompleted();
        } catch (RuntimeException | OutOfMemoryError e) {
            call.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        }
        synchronized (this) {
            if (!ended) {
                // The idle timeout, plus the time the answer takes at the slowest read rate we wait for.
                long readNanos = outputBytes * (TimeUnit.SECONDS.toNanos(1) / MIN_READ_BYTES_PER_SECOND);
                stallCheck = timer.schedule(LogContext.capture().wrap(this::stalled), stallTimeoutNanos + readNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("ProcessImage ok: in={} B out={} B image={} {} in {} ms", inputBytes, outputBytes,
                    processed.info(), processed.inputFormat().displayName(),
                    ImageGrpcService.millis(System.nanoTime() - start));
        }
    }

    private void stalled() {
        LOG.info("ProcessImage reset: the client did not read its answer in time (idle timeout {} ms + 1 s per MiB)",
                TimeUnit.NANOSECONDS.toMillis(stallTimeoutNanos));
        CallCanceller.cancel(context, "the client did not read its answer in time");
    }

    /** The call is over (written to the last byte, or cancelled): everything it held goes back. */
    private void end() {
        CompletableFuture<ProcessedImage> pending;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            pending = work;
            if (stallCheck != null) {
                stallCheck.cancel(false);
            }
            if (releaseResult != null) {
                releaseResult.run();
            }
            if (input != null) {
                input.close();
            }
        }
        if (pending != null) {
            pending.cancel(false); // leaves the admission queue if it still waits
        }
    }
}
