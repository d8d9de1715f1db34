package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.ReadAheadGate;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ProcessImage} call, from its arrival to the last byte of its answer, with manual flow
 * control: its request message is not asked for until the {@link ReadAheadGate} has room to read
 * it, so a waiting call is a queue entry that holds no thread and, of its message, at most what
 * HTTP/2 flow control lets the client send unasked (one stream window). Once read, its input stays
 * counted against the memory budget; it waits for admission to work as a queue entry; its answer
 * stays counted until gRPC has written it all (the listener's {@code onComplete}) or the call is
 * cancelled. A client that has not read the whole answer {@code stallTimeout} plus one second per
 * MiB of it (1 MiB/s) after it was handed to gRPC has its call reset (it sees CANCELLED), which
 * frees the answer's buffers; other calls on the same connection go on.
 *
 * <p>Sooner when it keeps others waiting: an answer not read {@link #FAIR_SHARE_GRACE_NANOS} plus one
 * second per {@link #FAIR_SHARE_READ_BYTES_PER_SECOND} bytes after it was handed to gRPC is checked
 * every {@link #FAIR_SHARE_CHECK_NANOS}, and reset at once when its client holds more than its fair
 * share of the budget's work share while another client waits for room in it
 * ({@link ProcessedImage#reclaimIfCrowding}). A reset is the only way to end a call whose answer
 * is queued behind HTTP/2 flow control (the status trailers wait behind the answer), so the client
 * sees CANCELLED, and the log says why.
 */
final class UnaryImageCall extends ServerCall.Listener<ImageRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(UnaryImageCall.class);
    /** The slowest average reading of an answer that is waited for (1 MiB/s). */
    static final long MIN_READ_BYTES_PER_SECOND = 1 << 20;
    /** How long an answer is left to be read before it may be taken back for other clients' work. */
    static final long FAIR_SHARE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The reading rate (8 MiB/s) that the fair-share grace allows for on top, per byte of the answer. */
    static final long FAIR_SHARE_READ_BYTES_PER_SECOND = 8 << 20;
    /** How often an unread answer past its grace is checked again. */
    static final long FAIR_SHARE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServerCall<ImageRequest, ImageResponse> call;
    private final ImageProcessor processor;
    private final Context context = Context.current();
    private final long start = System.nanoTime();
    private final long stallTimeoutNanos;
    private final ScheduledExecutorService timer;

    // Guarded by this (so is every use of call: ServerCall is not thread-safe).
    private CompletableFuture<ReadAheadGate.Reservation> turnToRead;
    private ReadAheadGate.Reservation input;
    private ImageRequest request;
    private CompletableFuture<ProcessedImage> work;
    /** Gives the answer's memory back; the answer's array itself is not kept once gRPC has copied it. */
    private Runnable releaseResult;
    private ScheduledFuture<?> stallCheck;
    /** The answer handed to gRPC and not yet written, for the fair-share check. */
    private ProcessedImage unread;
    private ScheduledFuture<?> fairShareCheck;
    private boolean closed;
    private boolean ended;

    private UnaryImageCall(ServerCall<ImageRequest, ImageResponse> call, ImageProcessor processor,
            long stallTimeoutNanos, ScheduledExecutorService timer) {
        this.call = call;
        this.processor = processor;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.timer = timer;
    }

    /** Starts a call: it waits at the gate for its turn to be read, unread. */
    static UnaryImageCall start(ServerCall<ImageRequest, ImageResponse> call, ImageProcessor processor,
            ReadAheadGate gate, long stallTimeoutNanos, ScheduledExecutorService timer) {
        UnaryImageCall listener = new UnaryImageCall(call, processor, stallTimeoutNanos, timer);
        CompletableFuture<ReadAheadGate.Reservation> turn = gate.reserve(ImageGrpcService.requestContext());
        synchronized (listener) {
            listener.turnToRead = turn;
        }
        LogContext log = LogContext.capture();
        turn.whenComplete(log.wrap(listener::mayRead));
        return listener;
    }

    private void mayRead(ReadAheadGate.Reservation reservation, Throwable failure) {
        synchronized (this) {
            if (failure != null) {
                fail("refused before it was read", 0, failure);
                return;
            }
            if (ended) {
                reservation.close();
                return;
            }
            input = reservation;
            call.request(1); // the message; a second one would be an error (asked for once the first is here)
        }
    }

    @Override
    public void onMessage(ImageRequest message) {
        ReadAheadGate.Reservation reading;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (request != null) {
                close(Status.INVALID_ARGUMENT.withDescription("ProcessImage takes exactly one request message"));
                return;
            }
            request = message;
            reading = input;
        }
        try {
            reading.arrived(message.getImageData().size()); // outside the lock: it may hand room to other calls
        } catch (ImageProcessingException e) {
            synchronized (this) {
                fail("refused", message.getImageData().size(), e);
            }
            return;
        }
        synchronized (this) {
            if (!closed) {
                call.request(1); // sees a second message, if the client sends one
            }
        }
    }

    @Override
    public void onHalfClose() {
        CompletableFuture<ProcessedImage> started;
        ByteString image;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (request == null) {
                close(Status.INVALID_ARGUMENT.withDescription("ProcessImage needs one request message; none was sent"));
                return;
            }
            image = request.getImageData();
            ProcessingOptions options;
            try {
                options = ProtoOptions.of(request);
            } catch (ImageProcessingException e) {
                fail("refused", image.size(), e);
                return;
            }
            request = request.getDefaultInstanceForType(); // not kept twice: the processor holds the image now
            ReadAheadGate.Reservation reading = input;
            started = processor.processAsync(new ByteStringImage(image, reading::admitted), options,
                    ImageGrpcService.requestContext().afterWaiting(reading.waitedNanos()));
            work = started;
        }
        LogContext log = LogContext.capture();
        int inputBytes = image.size();
        started.whenComplete(log.wrap((processed, failure) -> answer(inputBytes, processed, failure)));
    }

    private void answer(int inputBytes, ProcessedImage processed, Throwable failure) {
        int outputBytes;
        synchronized (this) {
            if (ended || closed) {
                if (processed != null) {
                    processed.release();
                }
                return;
            }
            if (failure != null) {
                fail("refused", inputBytes, failure);
                return;
            }
            releaseResult = processed.releaseMemory();
            outputBytes = processed.outputLength();
            try {
                // gRPC copies the pieces into its framing buffers here, where they stay counted until
                // written; each piece goes back to the pool once copied (AnswerMessages), what was
                // not copied is left to the collector.
                call.sendHeaders(new Metadata());
                AnswerMessages.send(call, processed.encoded());
                close(Status.OK);
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("failed while its answer was handed to gRPC", inputBytes, e);
                return;
            } finally {
                processed.encoded().settle();
            }
            if (!ended) {
                // The idle timeout, plus the time the answer takes at the slowest read rate we wait for.
                long readNanos = outputBytes * (TimeUnit.SECONDS.toNanos(1) / MIN_READ_BYTES_PER_SECOND);
                stallCheck = timer.schedule(LogContext.capture().wrap(this::stalled), stallTimeoutNanos + readNanos,
                        TimeUnit.NANOSECONDS);
                unread = processed;
                long graceNanos = FAIR_SHARE_GRACE_NANOS
                        + TimeUnit.SECONDS.toNanos(1) * outputBytes / FAIR_SHARE_READ_BYTES_PER_SECOND;
                fairShareCheck = timer.schedule(LogContext.capture().wrap(this::checkFairShare), graceNanos,
                        TimeUnit.NANOSECONDS);
            }
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("ProcessImage ok: in={} B out={} B image={} {} in {} ms", inputBytes, outputBytes,
                    processed.info(), processed.inputFormat().displayName(),
                    ImageGrpcService.millis(System.nanoTime() - start));
        }
    }

    /** Ends the call with the failure's status. Called with the lock held. */
    private void fail(String what, int inputBytes, Throwable failure) {
        Status status = GrpcStatuses.of(failure);
        LOG.info("ProcessImage {}: in={} B: {}: {}", what, inputBytes, status.getCode(), status.getDescription());
        close(status);
    }

    /** Called with the lock held. */
    private void close(Status status) {
        if (closed || ended) {
            return;
        }
        closed = true;
        try {
            call.close(status, new Metadata());
        } catch (IllegalStateException alreadyClosed) {
            // cancelled meanwhile: onCancel ends the call
        }
    }

    /** The answer is still unread past its grace: taken back if it keeps other clients waiting, else checked again. */
    private void checkFairShare() {
        ProcessedImage answer;
        synchronized (this) {
            if (ended) {
                return;
            }
            answer = unread;
        }
        if (answer.reclaimIfCrowding()) { // outside the lock: it hands the memory to other calls
            LOG.info("ProcessImage reset: the client did not read its answer ({} B) while it held more than its fair"
                    + " share of memory and other clients waited for it", answer.outputLength());
            CallCanceller.cancel(context, "the client did not read its answer while others waited for its memory");
            return;
        }
        synchronized (this) {
            if (!ended) {
                fairShareCheck = timer.schedule(LogContext.capture().wrap(this::checkFairShare), FAIR_SHARE_CHECK_NANOS,
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    private void stalled() {
        LOG.info("ProcessImage reset: the client did not read its answer in time (idle timeout {} ms + 1 s per MiB)",
                TimeUnit.NANOSECONDS.toMillis(stallTimeoutNanos));
        CallCanceller.cancel(context, "the client did not read its answer in time");
    }

    @Override
    public void onCancel() {
        end();
    }

    /** Written to the last byte (or closed with an error status that has been sent). */
    @Override
    public void onComplete() {
        end();
    }

    /** The call is over (written to the last byte, or cancelled): everything it held goes back. */
    private void end() {
        CompletableFuture<ProcessedImage> pending;
        CompletableFuture<ReadAheadGate.Reservation> waiting;
        Runnable releaseAnswer;
        ReadAheadGate.Reservation held;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            pending = work;
            waiting = turnToRead;
            releaseAnswer = releaseResult;
            held = input;
            if (stallCheck != null) {
                stallCheck.cancel(false);
            }
            if (fairShareCheck != null) {
                fairShareCheck.cancel(false);
            }
            unread = null;
        }
        // Outside the lock: giving memory back hands it to other calls, which take their own locks.
        if (releaseAnswer != null) {
            releaseAnswer.run();
        }
        if (held != null) {
            held.close();
        }
        if (waiting != null) {
            waiting.cancel(false); // leaves the gate's queue if it still waits
        }
        if (pending != null) {
            pending.cancel(false); // leaves the admission queue if it still waits
        }
    }
}
