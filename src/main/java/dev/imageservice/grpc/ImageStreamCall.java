package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.RequestContext;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ProcessImageStream} call. The upload is read one chunk at a time (manual flow
 * control: the next chunk is requested once the last one is counted against the memory budget, so
 * an upload the budget has no room for is refused as RESOURCE_EXHAUSTED, not buffered); the image
 * then waits for admission as a queue entry, without a thread; the PNG goes out in chunks only while
 * the client is ready to read, so a slow reader never makes the server queue the whole answer in
 * gRPC's buffers. Everything stays counted until the call ends. A client that sends or reads nothing
 * for the idle timeout has its call ended, which frees everything.
 */
final class ImageStreamCall implements StreamObserver<ImageChunk> {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStreamCall.class);
    static final int RESPONSE_CHUNK_BYTES = 1 << 20;

    private final ServerCallStreamObserver<ImageChunk> call;
    private final ImageProcessor processor;
    private final AdmissionController budget;
    private final long maxInputBytes;
    private final long idleTimeoutNanos;
    private final RequestContext context;
    private final Context grpcContext = Context.current();
    private final long start = System.nanoTime();
    private final ScheduledFuture<?> idleCheck;

    // Guarded by this: the call's callbacks come from gRPC threads one at a time, but the
    // on-ready handler, the cancel handler, the idle check and the end of the work can run
    // concurrently with them.
    private byte[] upload = new byte[0];
    private ImageChunk options;
    private int uploaded;
    private AdmissionController.Lease uploadMemory;
    private CompletableFuture<ProcessedImage> work;
    private ProcessedImage result;
    private ByteString output;
    private int sent;
    private boolean finished;
    /** While the image waits for admission or is processed, the client owes us nothing. */
    private boolean processing;
    private volatile long lastProgressNanos = System.nanoTime();

    ImageStreamCall(ServerCallStreamObserver<ImageChunk> call, ImageProcessor processor, AdmissionController budget,
            long maxInputBytes, long idleTimeoutNanos, ScheduledExecutorService scheduler) {
        this.call = call;
        this.processor = processor;
        this.budget = budget;
        this.maxInputBytes = maxInputBytes;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.context = ImageGrpcService.requestContext();
        // The handlers and the manual flow control must be set before the call's first callback returns.
        call.disableAutoRequest();
        call.setOnReadyHandler(this::sendWhileReady);
        call.setOnCancelHandler(this::finish);
        call.request(1);
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), idleTimeoutNanos / 4);
        this.idleCheck = scheduler.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onNext(ImageChunk chunk) {
        synchronized (this) {
            if (finished) {
                return;
            }
            lastProgressNanos = System.nanoTime();
            if (options == null) {
                options = ProtoOptions.optionsOf(chunk); // the first chunk carries the options
            }
            ByteString data = chunk.getData();
            long total = (long) uploaded + data.size();
            if (total > maxInputBytes) {
                fail(GrpcStatuses.of(ImageProcessingException.tooManyBytes(maxInputBytes)));
                return;
            }
            try {
                if (total > upload.length) {
                    // Grow geometrically, but never past the limit: memory follows what was really sent.
                    int capacity = (int) Math.min(maxInputBytes, Math.max(total, upload.length * 2L));
                    if (uploadMemory == null) {
                        uploadMemory = budget.tryHold(capacity);
                    } else {
                        uploadMemory.resize(capacity + (long) upload.length); // old and new array, while copying
                    }
                    upload = Arrays.copyOf(upload, capacity);
                    uploadMemory.resize(capacity);
                }
            } catch (ImageProcessingException | OutOfMemoryError e) {
                upload = null;
                fail(GrpcStatuses.of(e));
                return;
            }
            data.copyTo(upload, uploaded);
            uploaded = (int) total;
        }
        call.request(1);
    }

    @Override
    public void onError(Throwable t) {
        finish(); // the client cancelled or the connection broke
    }

    @Override
    public void onCompleted() {
        byte[] image;
        CompletableFuture<ProcessedImage> started;
        synchronized (this) {
            if (finished) {
                return;
            }
            image = uploaded == upload.length ? upload : Arrays.copyOf(upload, uploaded);
            upload = null;
            if (uploadMemory != null) {
                uploadMemory.resize(image.length); // the spare capacity is garbage now
            }
            dev.imageservice.processing.ProcessingOptions processingOptions;
            try {
                processingOptions = ProtoOptions.of(options);
            } catch (ImageProcessingException e) {
                LOG.info("ProcessImageStream refused: in={} B: {}: {}", image.length, e.kind(), e.getMessage());
                fail(GrpcStatuses.of(e));
                return;
            }
            processing = true;
            started = processor.processAsync(dev.imageservice.processing.EncodedImage.of(image), processingOptions,
                    context);
            work = started;
        }
        started.whenComplete(LogContext.capture().wrap((processed, failure) -> processed(image.length, processed, failure)));
    }

    private void processed(int inputBytes, ProcessedImage processed, Throwable failure) {
        synchronized (this) {
            processing = false;
            if (finished) {
                if (processed != null) {
                    processed.release();
                }
                return;
            }
            if (failure != null) {
                Status status = GrpcStatuses.of(failure);
                LOG.info("ProcessImageStream refused: in={} B: {}: {}", inputBytes, status.getCode(), status.getDescription());
                fail(status);
                return;
            }
            result = processed;
            output = AnswerBytes.of(processed.encoded());
            lastProgressNanos = System.nanoTime();
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("ProcessImageStream ok: in={} B out={} B image={} {} in {} ms", inputBytes, processed.outputLength(),
                    processed.info(), processed.inputFormat().displayName(), ImageGrpcService.millis(System.nanoTime() - start));
        }
        sendWhileReady();
    }

    /** Sends chunks while gRPC's outbound buffer has room; gRPC calls this again when it has. */
    private synchronized void sendWhileReady() {
        if (finished || output == null) {
            return;
        }
        try {
            while (sent < output.size() && call.isReady()) {
                int length = Math.min(RESPONSE_CHUNK_BYTES, output.size() - sent);
                // A slice of the answer's pieces, not a copy.
                call.onNext(ImageChunk.newBuilder().setData(output.substring(sent, sent + length)).build());
                sent += length;
                lastProgressNanos = System.nanoTime();
            }
            if (sent == output.size()) {
                call.onCompleted();
                finish();
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(GrpcStatuses.of(e));
        }
    }

    private synchronized void checkIdle() {
        if (finished || processing || System.nanoTime() - lastProgressNanos <= idleTimeoutNanos) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos);
        if (output == null) {
            LOG.info("ProcessImageStream ended: the client sent no data for {} ms", millis);
            fail(Status.DEADLINE_EXCEEDED.withDescription("the client sent no data for " + millis + " ms"));
        } else {
            // The client reads nothing: a status would wait behind the unread chunks, so reset the call.
            LOG.info("ProcessImageStream reset: the client read none of the answer for {} ms", millis);
            CallCanceller.cancel(grpcContext, "the client read none of the answer for " + millis + " ms");
            finish();
        }
    }

    private synchronized void fail(Status status) {
        if (finished) {
            return;
        }
        finish(); // memory back before the client hears of the failure
        if (!call.isCancelled()) {
            call.onError(status.asRuntimeException());
        }
    }

    /** Ends the call's life on the server: no more work, memory given back, timer stopped. */
    private void finish() {
        CompletableFuture<ProcessedImage> pending;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            upload = null;
            output = null;
            idleCheck.cancel(false);
            if (uploadMemory != null) {
                uploadMemory.close();
            }
            if (result != null) {
                result.release();
            }
            pending = work;
        }
        if (pending != null) {
            pending.cancel(false); // leaves the admission queue if it still waits
        }
    }
}
