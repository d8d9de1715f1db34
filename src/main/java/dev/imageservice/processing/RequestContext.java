package dev.imageservice.processing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a transport knows about the caller of one request: until when it waits (its deadline) and
 * whether it is still there. The processor uses it to not start, or stop waiting for, work nobody
 * will receive.
 */
public final class RequestContext {
    /** No deadline, never cancelled. */
    public static final RequestContext NONE = new RequestContext(Long.MAX_VALUE, false, () -> false, StageListener.NONE,
            "", 0);

    private final long deadlineNanoTime;
    private final boolean hasDeadline;
    private final BooleanSupplier cancelled;
    private final StageListener stages;
    private final String client;
    private final long waitedNanos;

    private RequestContext(long deadlineNanoTime, boolean hasDeadline, BooleanSupplier cancelled,
            StageListener stages, String client, long waitedNanos) {
        this.deadlineNanoTime = deadlineNanoTime;
        this.hasDeadline = hasDeadline;
        this.cancelled = cancelled;
        this.stages = stages;
        this.client = client;
        this.waitedNanos = waitedNanos;
    }

    /** A caller that waits {@code remainingNanos} more. */
    public static RequestContext withDeadline(long remainingNanos, BooleanSupplier cancelled) {
        return new RequestContext(System.nanoTime() + remainingNanos, true, cancelled, StageListener.NONE, "", 0);
    }

    public static RequestContext withoutDeadline(BooleanSupplier cancelled) {
        return new RequestContext(Long.MAX_VALUE, false, cancelled, StageListener.NONE, "", 0);
    }

    /** The same caller, with {@code listener} told of each stage as well as the listeners before it. */
    public RequestContext withStageListener(StageListener listener) {
        StageListener before = stages;
        StageListener both = before == StageListener.NONE ? listener : (stage, name, start, end) -> {
            before.stageEnded(stage, name, start, end);
            listener.stageEnded(stage, name, start, end);
        };
        return new RequestContext(deadlineNanoTime, hasDeadline, cancelled, both, client, waitedNanos);
    }

    /**
     * The same caller, known as {@code client} (its API key's name, else its address): the
     * admission queue and its per-client cap are shared out by this name.
     */
    public RequestContext withClient(String client) {
        return new RequestContext(deadlineNanoTime, hasDeadline, cancelled, stages, client == null ? "" : client,
                waitedNanos);
    }

    /**
     * The same caller, which has already waited {@code nanos} in an earlier queue (a gRPC input
     * waiting to be read, {@link ReadAheadGate}): {@code maxQueueWait} bounds its waits together.
     */
    public RequestContext afterWaiting(long nanos) {
        return new RequestContext(deadlineNanoTime, hasDeadline, cancelled, stages, client, waitedNanos + Math.max(0, nanos));
    }

    /** How long the request has waited in queues before this one. */
    public long waitedNanos() {
        return waitedNanos;
    }

    /** Who sent the request, for fair shares; "" when the transport does not say (internal probes). */
    public String client() {
        return client;
    }

    /** Who is told when each stage of this request ends (the ops layer's metrics and traces). */
    public StageListener stages() {
        return stages;
    }

    /** Nanoseconds left until the deadline (negative once it passed); Long.MAX_VALUE without one. */
    public long remainingNanos() {
        return hasDeadline ? deadlineNanoTime - System.nanoTime() : Long.MAX_VALUE;
    }

    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    /** Throws if the caller is gone or out of time: checked before each expensive step. */
    public void checkStillWanted() {
        if (isCancelled()) {
            throw new ImageProcessingException(ImageProcessingException.Kind.CANCELLED, "the request was cancelled");
        }
        if (hasDeadline && remainingNanos() <= 0) {
            throw new ImageProcessingException(ImageProcessingException.Kind.DEADLINE_EXCEEDED,
                    "the deadline passed before the image could be processed");
        }
    }

    @Override
    public String toString() {
        return hasDeadline ? "deadline in " + TimeUnit.NANOSECONDS.toMillis(remainingNanos()) + " ms" : "no deadline";
    }
}
