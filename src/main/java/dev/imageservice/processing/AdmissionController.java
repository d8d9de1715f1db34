package dev.imageservice.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one memory budget of the service and the queue in front of it.
 *
 * <p>Everything a request holds is counted here, in bytes, from the moment a transport accepts it
 * until its last byte is written: its input ({@link #tryHold}), the work of decoding and encoding
 * ({@link #admit}: decoded pixels, intermediate buffers and the encoded output), and the encoded
 * output until the transport has written it (what is left of the {@link Permit} after
 * {@link Permit#keepOnly}).
 *
 * <p>The budget has two shares, so that neither can crowd out the other: inputs (of waiting and
 * working requests alike) hold at most {@link #INPUT_SHARE_PERCENT}% of it, and a request arriving
 * when that share is full is refused at once as overloaded; work and unwritten outputs hold the
 * rest. So a long queue of waiting inputs never stops the work that empties it, and the work never
 * makes an input that has already arrived be refused while the queue has room.
 *
 * <p>{@link #admit} never blocks a thread: a request that does not fit waits as an entry of a
 * bounded queue and its future completes when it fits. At most
 * {@code maxConcurrent} requests are in work at once, and their work must fit the budget next to
 * everything else counted; one request in work alone is always admitted (it passed the per-image
 * limits), so the queue always moves. A waiter is refused as overloaded when the queue is full or
 * its wait passes {@code maxQueueWait}, ends with DEADLINE_EXCEEDED at its caller's deadline, and
 * leaves the queue when its future is cancelled. The queue is first-come, first-served per
 * client and served in turns among clients ({@link FairShareQueue}); one client may have at most
 * {@code maxQueuedPerClient} waiting. The next waiter is not overtaken by small ones behind it, so
 * a large image cannot starve. The choice of which waiter goes next is made in
 * {@link #grantable()} and only there.
 */
public final class AdmissionController {
    /** The part of the budget that inputs may hold; work and outputs have the rest. */
    public static final int INPUT_SHARE_PERCENT = 65;

    private final int maxConcurrent;
    private final long budgetBytes;
    private final long inputShareBytes;
    private final long workShareBytes;
    private final int maxQueued;
    private final int maxQueuedPerClient;
    private final long maxQueueWaitNanos;

    /** Served in turns among clients (issue 12): see {@link FairShareQueue}. */
    private final FairShareQueue<Waiter> queue = new FairShareQueue<>(waiter -> waiter.client);
    private int inFlight;
    private long bytesInUse;
    /** The part of bytesInUse that is work or output (not inputs). */
    private long workAndOutputBytes;
    private long bytesWaiting;
    private boolean shutDown;
    /** How long images take in work, to tell which waiters can finish at shutdown. */
    private final WorkPace pace = new WorkPace();
    /** Once shutdown began: when the grace period ends (System.nanoTime()). */
    private long graceEndsNanos;

    public AdmissionController(Limits limits) {
        this.maxConcurrent = limits.maxConcurrent();
        this.budgetBytes = limits.memoryBudgetBytes();
        this.inputShareBytes = budgetBytes * INPUT_SHARE_PERCENT / 100;
        this.workShareBytes = budgetBytes - inputShareBytes;
        this.maxQueued = limits.maxQueued();
        this.maxQueuedPerClient = limits.maxQueuedPerClient();
        this.maxQueueWaitNanos = limits.maxQueueWaitNanos();
    }

    /** Bytes counted against the budget; give them back with {@link #close()} (idempotent). */
    public class Lease implements AutoCloseable {
        private final boolean work;
        private long bytes;
        private boolean released;

        Lease(long bytes, boolean work) {
            this.bytes = bytes;
            this.work = work;
        }

        /** The bytes this lease counts now. */
        public synchronized long bytes() {
            return bytes;
        }

        /**
         * Counts {@code newBytes} instead: less gives memory back at once; more is refused as
         * overloaded when its share of the budget has no room (the lease keeps its old size then).
         */
        public void resize(long newBytes) {
            List<Grant> grants;
            synchronized (AdmissionController.this) {
                synchronized (this) {
                    if (released) {
                        return;
                    }
                    long delta = newBytes - bytes;
                    if (delta > 0 && (work ? workAndOutputBytes + delta > workShareBytes
                            : inputBytes() + delta > inputShareBytes)) {
                        throw overloaded(delta, work);
                    }
                    bytes = newBytes;
                    count(delta);
                }
                grants = grantable();
            }
            Grant.complete(grants);
        }

        @Override
        public void close() {
            List<Grant> grants;
            synchronized (AdmissionController.this) {
                if (!release()) {
                    return;
                }
                grants = grantable();
            }
            Grant.complete(grants);
        }

        /** Called with the controller's lock held. */
        void count(long delta) {
            bytesInUse += delta;
            if (work) {
                workAndOutputBytes += delta;
            }
        }

        /** Called with the controller's lock held. */
        boolean release() {
            synchronized (this) {
                if (released) {
                    return false;
                }
                released = true;
                count(-bytes);
                bytes = 0;
                return true;
            }
        }
    }

    /** One image's turn in work: a work slot and its bytes. Close it if the work fails. */
    public final class Permit extends Lease {
        private final long grantedAt = System.nanoTime();
        private boolean slotFreed;

        private final long granted;

        private Permit(long bytes) {
            super(bytes, true);
            this.granted = bytes;
        }

        /**
         * Ends the work: frees the work slot and keeps counting only {@code bytes} (the encoded
         * output, until the transport has written it), returned as a lease of their own.
         */
        public Lease keepOnly(long bytes) {
            List<Grant> grants;
            Lease kept;
            synchronized (AdmissionController.this) {
                long now = System.nanoTime();
                pace.done(now - grantedAt, granted, bytes, now);
                freeSlot();
                release();
                kept = new AnswerLease(AdmissionController.this, bytes, pace);
                kept.count(bytes); // already in memory: counted even if it overshoots
                grants = grantable();
            }
            Grant.complete(grants);
            return kept;
        }

        @Override
        boolean release() {
            freeSlot();
            return super.release();
        }

        private void freeSlot() {
            if (!slotFreed) {
                slotFreed = true;
                inFlight--;
            }
        }
    }

    /** A request waiting for its turn: the work it needs, the input it holds, whose it is. */
    private record Waiter(long bytes, long heldBytes, String client, CompletableFuture<Permit> future) {
    }

    /** A permit to hand to its waiter outside the lock (its callbacks may start the work). */
    private record Grant(CompletableFuture<Permit> future, Permit permit) {
        static void complete(List<Grant> grants) {
            for (Grant grant : grants) {
                if (grant.permit == null) {
                    grant.future.completeExceptionally(shuttingDown());
                } else if (!grant.future.complete(grant.permit)) {
                    grant.permit.close(); // cancelled or timed out meanwhile: give it back
                }
            }
        }
    }

    /**
     * Counts {@code bytes} already received (a request's input), or refuses them as overloaded when
     * the inputs' share of the budget has no room, so the transport can let go of them at once.
     */
    public Lease tryHold(long bytes) {
        synchronized (this) {
            if (shutDown) {
                throw shuttingDown();
            }
            if (inputBytes() + bytes > inputShareBytes) {
                throw overloaded(bytes, false);
            }
            Lease input = new Lease(bytes, false);
            input.count(bytes);
            return input;
        }
    }

    /**
     * A turn in work for {@code workBytes} (decoded pixels, buffers, output), completed when it fits.
     * Cancel the future to leave the queue.
     *
     * @param heldBytes what the request already holds (its input, counted with {@link #tryHold})
     */
    public CompletableFuture<Permit> admit(long workBytes, long heldBytes, RequestContext context) {
        Waiter waiter = new Waiter(workBytes, heldBytes, context.client(), new CompletableFuture<>());
        List<Grant> grants;
        synchronized (this) {
            if (shutDown) {
                return CompletableFuture.failedFuture(shuttingDown());
            }
            if (queue.isEmpty() && fits(workBytes)) {
                return CompletableFuture.completedFuture(grant(workBytes));
            }
            if (queue.size() >= maxQueued) {
                return CompletableFuture.failedFuture(new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                        "the service is overloaded: " + inFlight + " images in work and " + queue.size()
                                + " waiting (the limit); try again later"));
            }
            if (queue.queuedBy(waiter.client) >= maxQueuedPerClient) {
                return CompletableFuture.failedFuture(new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                        "the service is overloaded: this client has " + queue.queuedBy(waiter.client)
                                + " requests waiting (the limit per client); try again later"));
            }
            queue.add(waiter);
            bytesWaiting += heldBytes;
            grants = List.of();
        }
        waiter.future.whenComplete((permit, failure) -> leave(waiter));
        long remaining = context.remainingNanos();
        boolean deadlineFirst = remaining < maxQueueWaitNanos;
        long timeout = Math.max(0, Math.min(remaining, maxQueueWaitNanos));
        CompletableFuture<Void> timer = new CompletableFuture<Void>().completeOnTimeout(null, timeout, TimeUnit.NANOSECONDS);
        waiter.future.whenComplete((permit, failure) -> timer.cancel(false)); // no timer outlives its wait
        timer.thenRun(() -> waiter.future.completeExceptionally(deadlineFirst
                        ? new ImageProcessingException(ImageProcessingException.Kind.DEADLINE_EXCEEDED,
                                "the deadline passed while the image waited for admission")
                        : new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                                "the service is overloaded: waited " + TimeUnit.NANOSECONDS.toMillis(maxQueueWaitNanos)
                                        + " ms without being admitted; try again later")));
        Grant.complete(grants);
        return waiter.future;
    }

    /**
     * Refuses every later request as shutting down, and at once the waiters that, at the recent pace
     * of the work and of the writing of answers, would not be answered to the last byte within
     * {@code graceNanos}: their clients can go elsewhere now instead of being cut when the grace
     * period ends. Work in flight, answers being written and the other waiters go on.
     */
    public void shutdown(long graceNanos) {
        List<Waiter> refused = new ArrayList<>();
        synchronized (this) {
            shutDown = true;
            graceEndsNanos = System.nanoTime() + graceNanos;
            WorkPace.Plan plan = pace.plan(graceEndsNanos, inFlight, workAndOutputBytes, maxConcurrent);
            for (Waiter waiter : queue) {
                if (!plan.admits(waiter.bytes)) {
                    refused.add(waiter);
                }
            }
            plan.log(refused.size(), queue.size());
        }
        refused.forEach(waiter -> waiter.future.completeExceptionally(shuttingDown()));
    }

    private void leave(Waiter waiter) {
        List<Grant> grants;
        synchronized (this) {
            if (!queue.remove(waiter)) {
                return; // granted: already taken off the queue
            }
            bytesWaiting -= waiter.heldBytes;
            grants = grantable();
        }
        Grant.complete(grants);
    }

    /** Takes the waiters that fit off the head of the queue. Called with the lock held. */
    private List<Grant> grantable() {
        List<Grant> grants = null;
        while (!queue.isEmpty() && fits(queue.peek().bytes)) {
            Waiter head = queue.poll();
            bytesWaiting -= head.heldBytes;
            if (head.future.isDone()) {
                continue;
            }
            if (grants == null) {
                grants = new ArrayList<>(2);
            }
            if (shutDown && !pace.plan(graceEndsNanos, inFlight, workAndOutputBytes, maxConcurrent).admits(head.bytes)) {
                // It would not be done and written before the grace period ends: refuse it now, never start it.
                grants.add(new Grant(head.future, null));
                continue;
            }
            grants.add(new Grant(head.future, grant(head.bytes)));
        }
        return grants == null ? List.of() : grants;
    }

    /**
     * Room for this work in the work share, next to the work and outputs counted, or nothing else in
     * work or being written: then an image larger than the share goes alone, so the queue always
     * moves and the budget is exceeded by at most that one image's work.
     */
    private boolean fits(long workBytes) {
        return inFlight < maxConcurrent
                && (workAndOutputBytes + workBytes <= workShareBytes || (inFlight == 0 && workAndOutputBytes == 0));
    }

    /** Bytes of inputs counted now. Called with the lock held. */
    private long inputBytes() {
        return bytesInUse - workAndOutputBytes;
    }

    private Permit grant(long workBytes) {
        inFlight++;
        Permit permit = new Permit(workBytes);
        permit.count(workBytes);
        return permit;
    }

    private ImageProcessingException overloaded(long bytes, boolean work) {
        return new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                "the service is overloaded: not enough memory for " + Limits.bytes(bytes) + " more "
                        + (work ? "work (" + Limits.bytes(workAndOutputBytes) + " of the " + Limits.bytes(workShareBytes)
                                : "input (" + Limits.bytes(inputBytes()) + " of the " + Limits.bytes(inputShareBytes))
                        + " for " + (work ? "work and answers" : "inputs") + " in use); try again later");
    }

    private static ImageProcessingException shuttingDown() {
        return new ImageProcessingException(ImageProcessingException.Kind.SHUTTING_DOWN,
                "the service is shutting down; try another instance or again later");
    }

    /** The budget, in bytes. */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** The part of the budget inputs may hold, in bytes. */
    public long inputShareBytes() {
        return inputShareBytes;
    }

    /** Bytes counted now: inputs (waiting or not), work, outputs not yet written. */
    public synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes held by requests that wait for admission (their inputs); part of {@link #bytesInUse()}. */
    public synchronized long bytesWaiting() {
        return bytesWaiting;
    }

    /** Images being decoded/encoded now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Requests waiting for admission now. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Requests of {@code client} (see {@link RequestContext#client()}) waiting for admission now. */
    public synchronized int queuedBy(String client) {
        return queue.queuedBy(client);
    }
}
