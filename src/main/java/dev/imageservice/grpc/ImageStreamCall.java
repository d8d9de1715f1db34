package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.RequestContext;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ProcessImageStream} call: collects the uploaded chunks (refusing the upload as soon as
 * it passes the byte limit), processes the image, then sends the PNG in chunks only while the
 * client is ready to read, so a slow reader never makes the server queue the whole answer in
 * gRPC's buffers. A client that cancels, or stalls longer than the idle timeout, frees everything.
 */
final class ImageStreamCall implements StreamObserver<ImageChunk> {
    private static final Logger LOG = LoggerFactory.getLogger(ImageStreamCall.class);
    static final int RESPONSE_CHUNK_BYTES = 1 << 20;

    private final ServerCallStreamObserver<ImageChunk> call;
    private final ImageProcessor processor;
    private final long maxInputBytes;
    private final long idleTimeoutNanos;
    private final RequestContext context;
    private final long start = System.nanoTime();
    private final ScheduledFuture<?> idleCheck;

    // Guarded by this: the call's callbacks come from gRPC threads one at a time, but the
    // on-ready handler, the cancel handler and the idle check can run concurrently with them.
    private byte[] upload = new byte[0];
    private ImageChunk options;
    private int uploaded;
    private byte[] output;
    private int sent;
    private boolean finished;
    /** While the image waits for admission or is processed, the client owes us nothing. */
    private boolean processing;
    private volatile long lastProgressNanos = System.nanoTime();

    ImageStreamCall(ServerCallStreamObserver<ImageChunk> call, ImageProcessor processor, long maxInputBytes,
            long idleTimeoutNanos, ScheduledExecutorService scheduler) {
        this.call = call;
        this.processor = processor;
        this.maxInputBytes = maxInputBytes;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.context = ImageGrpcService.requestContext();
        // Both handlers must be set before the call's first callback returns.
        call.setOnReadyHandler(this::sendWhileReady);
        call.setOnCancelHandler(this::cancelled);
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), idleTimeoutNanos / 4);
        this.idleCheck = scheduler.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void onNext(ImageChunk chunk) {
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
        if (total > upload.length) {
            try {
                // Grow geometrically, but never past the limit: memory follows what was really sent.
                upload = java.util.Arrays.copyOf(upload, (int) Math.min(maxInputBytes, Math.max(total, upload.length * 2L)));
            } catch (OutOfMemoryError e) {
                upload = null;
                fail(GrpcStatuses.outOfMemory());
                return;
            }
        }
        data.copyTo(upload, uploaded);
        uploaded = (int) total;
    }

    @Override
    public void onError(Throwable t) {
        cancelled(); // the client cancelled or the connection broke
    }

    @Override
    public void onCompleted() {
        byte[] image;
        synchronized (this) {
            if (finished) {
                return;
            }
            image = uploaded == upload.length ? upload : java.util.Arrays.copyOf(upload, uploaded);
            upload = null;
            processing = true;
        }
        ProcessedImage result;
        try {
            result = processor.process(dev.imageservice.processing.EncodedImage.of(image), ProtoOptions.of(options), context);
        } catch (ImageProcessingException e) {
            LOG.info("ProcessImageStream refused: in={} B: {}: {}", image.length, e.kind(), e.getMessage());
            fail(GrpcStatuses.of(e));
            return;
        } catch (RuntimeException e) {
            fail(GrpcStatuses.internal(e));
            return;
        } catch (OutOfMemoryError e) {
            fail(GrpcStatuses.outOfMemory());
            return;
        }
        synchronized (this) {
            processing = false;
            if (finished) {
                return;
            }
            output = result.output();
            lastProgressNanos = System.nanoTime();
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("ProcessImageStream ok: in={} B out={} B image={} {} in {} ms", image.length, result.output().length,
                    result.info(), result.inputFormat().displayName(), ImageGrpcService.millis(System.nanoTime() - start));
        }
        sendWhileReady();
    }

    /** Sends chunks while gRPC's outbound buffer has room; gRPC calls this again when it has. */
    private synchronized void sendWhileReady() {
        if (finished || output == null) {
            return;
        }
        while (sent < output.length && call.isReady()) {
            int length = Math.min(RESPONSE_CHUNK_BYTES, output.length - sent);
            // The output array is never written again, so wrapping a slice of it is safe.
            call.onNext(ImageChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(output, sent, length)).build());
            sent += length;
            lastProgressNanos = System.nanoTime();
        }
        if (sent == output.length) {
            call.onCompleted();
            finish();
        }
    }

    private synchronized void cancelled() {
        finish();
    }

    private synchronized void checkIdle() {
        if (!finished && !processing && System.nanoTime() - lastProgressNanos > idleTimeoutNanos) {
            String what = output == null ? "sent no data" : "read none of the answer";
            LOG.info("ProcessImageStream ended: the client {} for {} ms", what, TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos));
            fail(Status.DEADLINE_EXCEEDED.withDescription("the client " + what + " for "
                    + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms"));
        }
    }

    private synchronized void fail(Status status) {
        if (finished) {
            return;
        }
        if (!call.isCancelled()) {
            call.onError(status.asRuntimeException());
        }
        finish();
    }

    /** Ends the call's life on the server: no more work, buffers released, timer stopped. */
    private synchronized void finish() {
        finished = true;
        upload = null;
        output = null;
        idleCheck.cancel(false);
    }
}
