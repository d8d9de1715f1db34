package dev.imageservice.processing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The limits every wait shares, whether for admission ({@link AdmissionQueue}) or for an input to
 * be read ({@link ReadAheadGate}): how many may wait, how many of one client, and for how long.
 */
record QueueLimits(int maxQueued, int maxQueuedPerClient, long maxQueueWaitNanos) {
    static QueueLimits of(Limits limits) {
        return new QueueLimits(limits.maxQueued(), limits.maxQueuedPerClient(), limits.maxQueueWaitNanos());
    }

    /**
     * Why one more request may not wait, with {@code waiting} waiting now and {@code byClient} of them
     * its client's, or null if it may.
     */
    ImageProcessingException refusal(int waiting, int byClient, int inFlight) {
        if (waiting >= maxQueued) {
            return overloaded("the service is overloaded: " + inFlight + " images in work and " + waiting
                    + " waiting (the limit); try again later");
        }
        if (byClient >= maxQueuedPerClient) {
            return overloaded("the service is overloaded: this client has " + byClient
                    + " requests waiting (the limit per client); try again later");
        }
        return null;
    }

    /**
     * Ends the wait of {@code future}, if it is still waiting then, as overloaded once the request
     * has waited {@code maxQueueWait} in all (this wait and {@link RequestContext#waitedNanos}) or as
     * DEADLINE_EXCEEDED ({@code deadlineMessage}) at its caller's deadline, whichever comes first.
     * No timer outlives the wait.
     */
    void endWaitInTime(CompletableFuture<?> future, RequestContext context, String deadlineMessage) {
        long remaining = context.remainingNanos();
        long waitLeft = Math.max(0, maxQueueWaitNanos - context.waitedNanos());
        boolean deadlineFirst = remaining < waitLeft;
        long timeout = Math.max(0, Math.min(remaining, waitLeft));
        CompletableFuture<Void> timer = new CompletableFuture<Void>().completeOnTimeout(null, timeout, TimeUnit.NANOSECONDS);
        future.whenComplete((result, failure) -> timer.cancel(false));
        timer.thenRun(() -> future.completeExceptionally(deadlineFirst
                ? new ImageProcessingException(ImageProcessingException.Kind.DEADLINE_EXCEEDED, deadlineMessage)
                : overloaded("the service is overloaded: waited " + TimeUnit.NANOSECONDS.toMillis(maxQueueWaitNanos)
                        + " ms without being admitted; try again later")));
    }

    private static ImageProcessingException overloaded(String message) {
        return new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED, message);
    }
}
