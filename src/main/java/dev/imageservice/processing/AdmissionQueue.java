package dev.imageservice.processing;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The requests waiting for admission: a bounded {@link FairShareQueue} (at most {@code maxQueued}
 * waiting, {@code maxQueuedPerClient} of one client), the input bytes its waiters hold, and the
 * timer that ends a wait at {@code maxQueueWait} or its caller's deadline. Which waiter goes next
 * is decided by {@link AdmissionController}; this class only keeps them.
 *
 * <p>Not thread-safe, except {@link #endWaitInTime}: {@link AdmissionController} calls it with its
 * lock held.
 */
final class AdmissionQueue implements Iterable<AdmissionQueue.Waiter> {
    /** A request waiting for its turn: the work it needs, the input it holds, whose it is. */
    record Waiter(long bytes, long heldBytes, String client, CompletableFuture<AdmissionController.Permit> future) {
    }

    /** A permit to hand to its waiter outside the lock (its callbacks may start the work); none: refused as shutting down. */
    record Grant(CompletableFuture<AdmissionController.Permit> future, AdmissionController.Permit permit) {
        static void complete(List<Grant> grants) {
            for (Grant grant : grants) {
                if (grant.permit == null) {
                    grant.future.completeExceptionally(AdmissionShutdown.shuttingDown());
                } else if (!grant.future.complete(grant.permit)) {
                    grant.permit.close(); // cancelled or timed out meanwhile: give it back
                }
            }
        }
    }

    /** Served in turns among clients (issue 12): see {@link FairShareQueue}. */
    private final FairShareQueue<Waiter> queue = new FairShareQueue<>(Waiter::client);
    private final QueueLimits limits;
    private long bytesWaiting;

    AdmissionQueue(Limits limits) {
        this.limits = QueueLimits.of(limits);
    }

    /** Why a new waiter of {@code client} may not wait (the queue or the client's part is full), or null. */
    ImageProcessingException refusal(String client, int inFlight) {
        return limits.refusal(queue.size(), queue.queuedBy(client), inFlight);
    }

    void add(Waiter waiter) {
        queue.add(waiter);
        bytesWaiting += waiter.heldBytes;
    }

    /** Takes {@code waiter} out (cancelled, timed out); false if it is not queued (granted already). */
    boolean remove(Waiter waiter) {
        if (!queue.remove(waiter)) {
            return false;
        }
        bytesWaiting -= waiter.heldBytes;
        return true;
    }

    /** The waiter whose turn is next, or null. */
    Waiter peek() {
        return queue.peek();
    }

    /** Takes {@code waiter}, the next of its client, in turn or out of turn (see {@link FairShareQueue#take}). */
    Waiter take(Waiter waiter) {
        queue.take(waiter);
        bytesWaiting -= waiter.heldBytes;
        return waiter;
    }

    /** Each client's next waiter, in the order of the clients' turns. */
    List<Waiter> heads() {
        return queue.heads();
    }

    /** The clients with a waiter (a view). */
    Set<String> waitingClients() {
        return queue.waitingClients();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    int queuedBy(String client) {
        return queue.queuedBy(client);
    }

    long bytesWaiting() {
        return bytesWaiting;
    }

    /** The waiters in the order they would be served if each fitted at once. */
    @Override
    public Iterator<Waiter> iterator() {
        return queue.iterator();
    }

    /**
     * Ends {@code waiter}'s wait, if it is still waiting then, as overloaded after
     * {@code maxQueueWait} or as DEADLINE_EXCEEDED at its caller's deadline, whichever comes first.
     * Thread-safe (reads only final fields).
     */
    void endWaitInTime(Waiter waiter, RequestContext context) {
        limits.endWaitInTime(waiter.future, context, "the deadline passed while the image waited for admission");
    }
}
