package dev.imageservice.processing;

import dev.imageservice.processing.AdmissionQueue.Grant;
import dev.imageservice.processing.AdmissionQueue.Waiter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
 *
 * <p>This class holds the public API and the one lock; its parts, called with that lock held, are
 * the budget's accounting ({@link MemoryBudget}), the waiting queue ({@link AdmissionQueue}) and the
 * shutdown's choice of waiters ({@link AdmissionShutdown}).
 */
public final class AdmissionController {
    /** The part of the budget that inputs may hold; work and outputs have the rest. */
    public static final int INPUT_SHARE_PERCENT = 65;

    private final MemoryBudget budget;
    private final AdmissionQueue queue;
    private final AdmissionShutdown shutdown = new AdmissionShutdown();

    public AdmissionController(Limits limits) {
        this.budget = new MemoryBudget(limits);
        this.queue = new AdmissionQueue(limits);
    }

    /** Bytes counted against the budget; give them back with {@link #close()} (idempotent). */
    public class Lease implements AutoCloseable {
        private final boolean work;
        /** Whose work or answer this is (counted in its fair share), or null (inputs). */
        private final String client;
        private long bytes;
        private boolean released;

        Lease(long bytes, boolean work, String client) {
            this.bytes = bytes;
            this.work = work;
            this.client = client;
        }

        String client() {
            return client;
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
                    if (delta > 0 && !budget.hasRoom(delta, work)) {
                        throw budget.overloaded(delta, work);
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
            budget.count(delta, work, client);
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

        private Permit(long bytes, String client) {
            super(bytes, true, client);
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
                shutdown.pace().done(now - grantedAt, granted, bytes, now);
                freeSlot();
                release();
                kept = new AnswerLease(AdmissionController.this, bytes, shutdown.pace(), client());
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
                budget.freeSlot(client());
            }
        }
    }

    /**
     * Counts {@code bytes} already received (a request's input), or refuses them as overloaded when
     * the inputs' share of the budget has no room, so the transport can let go of them at once.
     */
    public Lease tryHold(long bytes) {
        synchronized (this) {
            if (shutdown.shutDown()) {
                throw AdmissionShutdown.shuttingDown();
            }
            if (!budget.hasRoom(bytes, false)) {
                throw budget.overloaded(bytes, false);
            }
            Lease input = new Lease(bytes, false, null);
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
            if (shutdown.shutDown()) {
                return CompletableFuture.failedFuture(AdmissionShutdown.shuttingDown());
            }
            if (queue.isEmpty() && budget.fits(workBytes, waiter.client())) {
                return CompletableFuture.completedFuture(grant(workBytes, waiter.client()));
            }
            ImageProcessingException refusal = queue.refusal(waiter.client(), budget.inFlight());
            if (refusal != null) {
                return CompletableFuture.failedFuture(refusal);
            }
            queue.add(waiter);
            // It may go at once when the waiter ahead of it is of a client past its share.
            grants = grantable();
        }
        waiter.future().whenComplete((permit, failure) -> leave(waiter));
        queue.endWaitInTime(waiter, context);
        Grant.complete(grants);
        return waiter.future();
    }

    /**
     * Refuses every later request as shutting down, and at once the waiters that, at the recent pace
     * of the work and of the writing of answers, would not be answered to the last byte within
     * {@code graceNanos}: their clients can go elsewhere now instead of being cut when the grace
     * period ends. Work in flight, answers being written and the other waiters go on.
     */
    public void shutdown(long graceNanos) {
        List<Waiter> refused;
        synchronized (this) {
            refused = shutdown.begin(graceNanos, budget, queue);
        }
        refused.forEach(waiter -> waiter.future().completeExceptionally(AdmissionShutdown.shuttingDown()));
    }

    private void leave(Waiter waiter) {
        List<Grant> grants;
        synchronized (this) {
            if (!queue.remove(waiter)) {
                return; // granted: already taken off the queue
            }
            grants = grantable();
        }
        Grant.complete(grants);
    }

    /** Takes the waiters that may go now off the queue, in the order {@link #next()} gives. Called with the lock held. */
    private List<Grant> grantable() {
        List<Grant> grants = null;
        Waiter head;
        while (!queue.isEmpty() && (head = next()) != null) {
            queue.take(head);
            if (head.future().isDone()) {
                continue;
            }
            if (grants == null) {
                grants = new ArrayList<>(2);
            }
            if (shutdown.refuses(head.bytes(), budget)) {
                // It would not be done and written before the grace period ends: refuse it now, never start it.
                grants.add(new Grant(head.future(), null));
                continue;
            }
            grants.add(new Grant(head.future(), grant(head.bytes(), head.client())));
        }
        return grants == null ? List.of() : grants;
    }

    /**
     * The waiter to grant now, or null if none may go yet. It is the one whose turn it is (see
     * {@link FairShareQueue}), unless that grant would take its client past its fair share of the
     * work share ({@link MemoryBudget#fairShare}) while another client within its share waits: then
     * the first such client in turn order goes instead, or nobody if its waiter does not fit, so
     * the client past its share gets no further grants while the other waits (alone, a client may
     * use the whole budget). A waiter that does not fit is not overtaken by one behind it, except
     * on the spare work slot ({@link MemoryBudget#SPARE_SLOTS}): when every slot is taken, a client
     * with no image in work (within its share) may go on it, so that it does not wait for another
     * client's image to finish; that delays the next at most by one image.
     */
    private Waiter next() {
        Waiter head = queue.peek();
        long share = budget.fairShare(queue.waitingClients());
        if (pastShare(head, share)) {
            for (Waiter other : queue.heads()) {
                if (!pastShare(other, share)) {
                    head = other;
                    break;
                }
            }
        }
        if (budget.fits(head.bytes(), head.client())) {
            return head;
        }
        if (budget.onlySpareSlotsFree()) {
            for (Waiter other : queue.heads()) {
                if (other != head && !pastShare(other, share) && budget.fits(other.bytes(), other.client())) {
                    return other;
                }
            }
        }
        return null;
    }

    /**
     * Takes {@code answer}'s memory back, unwritten, if its client holds more than its fair share of
     * the work share ({@link MemoryBudget#fairShare}) while another client's next waiter, within its
     * own share, waits because the work share has no room for it: the answer's client then keeps
     * others from working by not reading. True when taken back (the transport must end the call).
     */
    boolean reclaim(AnswerLease answer) {
        List<Grant> grants;
        synchronized (this) {
            String client = answer.client();
            if (client == null || queue.isEmpty() || answer.bytes() == 0) {
                return false;
            }
            long share = budget.fairShare(queue.waitingClients());
            if (budget.heldBy(client) <= share || !othersWaitForRoom(client, share)) {
                return false;
            }
            if (!answer.releaseUnwritten()) {
                return false;
            }
            grants = grantable();
        }
        Grant.complete(grants);
        return true;
    }

    /** Whether a client other than {@code client}, within {@code share}, has a next waiter the work share has no room for. */
    private boolean othersWaitForRoom(String client, long share) {
        for (Waiter other : queue.heads()) {
            if (!client.equals(other.client()) && !pastShare(other, share) && !budget.hasRoom(other.bytes(), true)) {
                return true;
            }
        }
        return false;
    }

    /** Whether granting {@code waiter} takes its client, already holding some work or answers, past {@code share}. */
    private boolean pastShare(Waiter waiter, long share) {
        long held = budget.heldBy(waiter.client());
        return held > 0 && held + waiter.bytes() > share;
    }

    private Permit grant(long workBytes, String client) {
        budget.takeSlot(client);
        Permit permit = new Permit(workBytes, client);
        permit.count(workBytes);
        return permit;
    }

    /** Images that may be in work at once: {@code maxConcurrent} and the spare slot; the worker pool needs as many threads. */
    public int maxInWork() {
        return budget.maxConcurrent() + MemoryBudget.SPARE_SLOTS;
    }

    /** The budget, in bytes. */
    public long budgetBytes() {
        return budget.budgetBytes();
    }

    /** The part of the budget inputs may hold, in bytes. */
    public long inputShareBytes() {
        return budget.inputShareBytes();
    }

    /** Bytes counted now: inputs (waiting or not), work, outputs not yet written. */
    public synchronized long bytesInUse() {
        return budget.bytesInUse();
    }

    /** Bytes held by requests that wait for admission (their inputs); part of {@link #bytesInUse()}. */
    public synchronized long bytesWaiting() {
        return queue.bytesWaiting();
    }

    /** Images being decoded/encoded now. */
    public synchronized int inFlight() {
        return budget.inFlight();
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
