package dev.imageservice.processing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests whose input has not been read yet (a gRPC {@code ProcessImage} call with manual flow
 * control: its message stays unrequested, at most one HTTP/2 stream window of it in the server)
 * wait here as queue entries, holding no thread and no input, until their input may be read.
 *
 * <p>An input may be read when the budget's input share has room for it ({@link
 * AdmissionController#tryHold}) and the inputs read ahead of admission (read, but their request not
 * yet admitted to work) stay within {@link #readAheadBytes()}: enough to keep the work busy, far
 * less than every waiting request's input on the heap. Its size is not known before it arrives: an
 * estimate (the recent inputs' mean) is reserved and resized when it is known ({@link
 * Reservation#arrived}).
 *
 * <p>The entries are shared out among clients in turns ({@link FairShareQueue}) and count, with the
 * admission queue's, against {@code maxQueued} and {@code maxQueuedPerClient}: a request arriving
 * when they are full is refused as overloaded. A waiter is refused as overloaded after
 * {@code maxQueueWait}, ends with DEADLINE_EXCEEDED at its caller's deadline, and leaves when its
 * future is cancelled. Room freed by this gate's own requests is seen at once; room freed elsewhere
 * (other transports, finished work) is looked for every {@link #POLL_MILLIS} ms while anyone waits.
 */
public final class ReadAheadGate {
    /** How often room freed elsewhere is looked for while requests wait. */
    static final long POLL_MILLIS = 20;
    /** The estimate before any input has arrived. */
    static final long FIRST_ESTIMATE_BYTES = 1 << 20;

    private final AdmissionController budget;
    private final long readAheadBytes;
    private final QueueLimits limits;
    private final ScheduledExecutorService timer;

    private final FairShareQueue<Waiter> queue = new FairShareQueue<>(waiter -> waiter.client);
    /** Bytes reserved by requests whose input may be read and which are not yet admitted to work. */
    private long readAhead;
    /** The same per client, for clients with some. */
    private final Map<String, Long> readAheadByClient = new HashMap<>();
    private long estimate = FIRST_ESTIMATE_BYTES;
    private ScheduledFuture<?> poll;

    /**
     * @param readAheadBytes inputs that may be read ahead of admission at once (one input always may)
     * @param timer          runs the timeouts and the look for room freed elsewhere
     */
    public ReadAheadGate(AdmissionController budget, Limits limits, long readAheadBytes, ScheduledExecutorService timer) {
        this.budget = budget;
        this.readAheadBytes = readAheadBytes;
        this.limits = QueueLimits.of(limits);
        this.timer = timer;
    }

    /** The default read-ahead: a quarter of the inputs' share of the budget. */
    public static long defaultReadAheadBytes(AdmissionController budget) {
        return budget.inputShareBytes() / 4;
    }

    /** A request's room to read its input: counted in the budget until {@link #close()}. */
    public final class Reservation implements AutoCloseable {
        private final AdmissionController.Lease input;
        private final String client;
        /** What this reservation adds to the read-ahead (0 once admitted or closed). Guarded by the gate. */
        private long readingAhead;

        private final long waitedNanos;

        /** Called with the gate's lock held: counts the input as read ahead, in all and for its client. */
        private Reservation(AdmissionController.Lease input, String client, long waitedNanos) {
            this.input = input;
            this.client = client;
            this.waitedNanos = waitedNanos;
            readAheadChanged(input.bytes());
        }

        /** Called with the gate's lock held. */
        private void readAheadChanged(long bytes) {
            long delta = bytes - readingAhead;
            if (delta == 0) {
                return;
            }
            readingAhead = bytes;
            readAhead += delta;
            readAheadByClient.merge(client, delta, (held, more) -> held + more == 0 ? null : held + more);
        }

        /** How long the request waited for this room: its wait for admission gets the rest of {@code maxQueueWait}. */
        public long waitedNanos() {
            return waitedNanos;
        }

        /** The bytes the input is counted with now. */
        public long bytes() {
            return input.bytes();
        }

        /**
         * The input has arrived, {@code bytes} long: counted with its real size from now on.
         *
         * @throws ImageProcessingException OVERLOADED when it is larger than the estimate and the
         *                                  inputs' share has no room for the difference
         */
        public void arrived(long bytes) {
            input.resize(bytes);
            synchronized (ReadAheadGate.this) {
                estimate = (estimate * 7 + bytes) / 8;
                if (readingAhead > 0) {
                    readAheadChanged(bytes);
                }
            }
            grant();
        }

        /** The request is admitted to work: its input no longer counts as read ahead (it stays in the budget). */
        public void admitted() {
            synchronized (ReadAheadGate.this) {
                readAheadChanged(0);
            }
            grant();
        }

        /** Gives the input's bytes back to the budget (idempotent). */
        @Override
        public void close() {
            input.close();
            admitted();
        }
    }

    private record Waiter(String client, CompletableFuture<Reservation> future, long sinceNanoTime) {
    }

    /**
     * Room to read one request's input, completed when there is; cancel the future to leave the
     * queue (a reservation granted meanwhile is given back).
     */
    public CompletableFuture<Reservation> reserve(RequestContext context) {
        Waiter waiter = new Waiter(context.client(), new CompletableFuture<>(), System.nanoTime());
        synchronized (this) {
            ImageProcessingException refusal = limits.refusal(queue.size() + budget.queued(),
                    queue.queuedBy(waiter.client) + budget.queuedBy(waiter.client), budget.inFlight());
            if (refusal != null) {
                return CompletableFuture.failedFuture(refusal);
            }
            queue.add(waiter);
        }
        waiter.future.whenComplete((reservation, failure) -> {
            if (failure != null) {
                leave(waiter); // timed out, cancelled or refused: no longer queued
            }
        });
        limits.endWaitInTime(waiter.future, context, "the deadline passed while the image waited to be read");
        grant();
        return waiter.future;
    }

    /** Requests waiting for room to read their input now. */
    public synchronized int waiting() {
        return queue.size();
    }

    /** Bytes reserved for inputs read (or being read) ahead of their admission now. */
    public synchronized long readingAhead() {
        return readAhead;
    }

    /** How many bytes of inputs may be read ahead of admission at once. */
    public long readAheadBytes() {
        return readAheadBytes;
    }

    private void leave(Waiter waiter) {
        synchronized (this) {
            queue.remove(waiter);
        }
        grant();
    }

    /** Hands out room to the waiters whose turn it is, while there is room. */
    private void grant() {
        List<Runnable> completions = new ArrayList<>(1);
        synchronized (this) {
            while (!queue.isEmpty()) {
                Waiter head = queue.peek();
                if (head.future.isDone()) {
                    queue.poll();
                    continue;
                }
                boolean readAheadFull = readAhead > 0 && readAhead + estimate > readAheadBytes;
                if (readAheadFull) {
                    // A client with nothing read ahead may have one input read all the same, so one
                    // client's backlog (e.g. callers that never read their answers) does not keep
                    // the others' calls unread; the inputs' share still bounds it.
                    Waiter other = firstWithNothingReadAhead();
                    if (other != null) {
                        head = other;
                        readAheadFull = false;
                    }
                }
                AdmissionController.Lease input;
                try {
                    // With the read-ahead full, nothing is reserved: this only learns of a shutdown.
                    input = budget.tryHold(readAheadFull ? 0 : estimate);
                } catch (ImageProcessingException e) {
                    if (e.kind() != ImageProcessingException.Kind.SHUTTING_DOWN) {
                        break; // no room in the inputs' share yet
                    }
                    Waiter refused = queue.poll();
                    completions.add(() -> refused.future.completeExceptionally(e));
                    continue;
                }
                if (readAheadFull) {
                    completions.add(input::close); // outside the lock: closing may hand room to waiters of admission
                    break;
                }
                queue.take(head);
                Waiter granted = head;
                Reservation reservation = new Reservation(input, granted.client, System.nanoTime() - granted.sinceNanoTime);
                completions.add(() -> {
                    if (!granted.future.complete(reservation)) {
                        reservation.close(); // timed out or cancelled meanwhile
                    }
                });
            }
            schedulePoll();
        }
        completions.forEach(Runnable::run);
    }

    /** The first waiter, in turn order, whose client has no input read ahead now, or null. Called with the lock held. */
    private Waiter firstWithNothingReadAhead() {
        for (Waiter waiter : queue.heads()) {
            if (!waiter.future.isDone() && !readAheadByClient.containsKey(waiter.client)) {
                return waiter;
            }
        }
        return null;
    }

    /** While anyone waits, looks again for room every POLL_MILLIS. Called with the lock held. */
    private void schedulePoll() {
        if (queue.isEmpty() || (poll != null && !poll.isDone())) {
            return;
        }
        poll = timer.schedule(() -> {
            synchronized (this) {
                poll = null;
            }
            grant();
        }, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }
}
