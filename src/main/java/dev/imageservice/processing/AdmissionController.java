package dev.imageservice.processing;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits at most {@code maxConcurrent} images into decode/encode at once, and no more decoded
 * pixels in flight than the budget (one image alone is always admitted, as it already passed the
 * per-image pixel limit). The others wait in a bounded first-come, first-served queue, holding only
 * their compressed bytes; a waiter is refused as overloaded when the queue is full or its wait
 * exceeds the maximum, and gives up early when its caller's deadline passes or it is cancelled.
 *
 * <p>Strict FIFO order: a large image at the head is not overtaken by small ones behind it, so
 * it cannot starve.
 */
public final class AdmissionController {
    /** How often a waiter looks whether its caller is still there. */
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final int maxConcurrent;
    private final long maxPixelsInFlight;
    private final int maxQueued;
    private final long maxQueueWaitNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int inFlight;
    private long pixelsInFlight;

    public AdmissionController(Limits limits) {
        this.maxConcurrent = limits.maxConcurrent();
        this.maxPixelsInFlight = limits.maxPixelsInFlight();
        this.maxQueued = limits.maxQueued();
        this.maxQueueWaitNanos = limits.maxQueueWaitNanos();
    }

    /** Permission to process one image; close it when the work is done. */
    public final class Permit implements AutoCloseable {
        private final long pixels;
        private boolean released;

        private Permit(long pixels) {
            this.pixels = pixels;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!released) {
                    released = true;
                    inFlight--;
                    pixelsInFlight -= pixels;
                    signalHead();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private static final class Waiter {
        final long pixels;
        final Condition turn;

        Waiter(long pixels, Condition turn) {
            this.pixels = pixels;
            this.turn = turn;
        }
    }

    /**
     * Waits for room for an image of {@code pixels} decoded pixels.
     *
     * @throws ImageProcessingException OVERLOADED, DEADLINE_EXCEEDED or CANCELLED
     */
    public Permit admit(long pixels, RequestContext context) {
        lock.lock();
        try {
            if (queue.isEmpty() && fits(pixels)) {
                return grant(pixels);
            }
            if (queue.size() >= maxQueued) {
                throw new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                        "the service is overloaded: " + inFlight + " images in work and " + queue.size()
                                + " waiting (the limit); try again later");
            }
            return await(pixels, context);
        } finally {
            lock.unlock();
        }
    }

    private Permit await(long pixels, RequestContext context) {
        Waiter waiter = new Waiter(pixels, lock.newCondition());
        queue.addLast(waiter);
        long start = System.nanoTime();
        boolean admitted = false;
        try {
            while (true) {
                if (queue.peekFirst() == waiter && fits(pixels)) {
                    queue.removeFirst();
                    admitted = true;
                    Permit permit = grant(pixels);
                    signalHead();
                    return permit;
                }
                context.checkStillWanted();
                long waitLeft = maxQueueWaitNanos - (System.nanoTime() - start);
                if (waitLeft <= 0) {
                    throw new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                            "the service is overloaded: waited " + TimeUnit.NANOSECONDS.toMillis(maxQueueWaitNanos)
                                    + " ms without being admitted; try again later");
                }
                waiter.turn.awaitNanos(Math.min(Math.min(waitLeft, context.remainingNanos()), CANCEL_POLL_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageProcessingException(ImageProcessingException.Kind.CANCELLED, "the request was cancelled");
        } finally {
            if (!admitted) {
                queue.remove(waiter);
                signalHead();
            }
        }
    }

    private boolean fits(long pixels) {
        return inFlight < maxConcurrent && (inFlight == 0 || pixelsInFlight + pixels <= maxPixelsInFlight);
    }

    private Permit grant(long pixels) {
        inFlight++;
        pixelsInFlight += pixels;
        return new Permit(pixels);
    }

    private void signalHead() {
        Waiter head = queue.peekFirst();
        if (head != null) {
            head.turn.signal();
        }
    }

    /** Images being decoded/encoded now. */
    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Decoded pixels of the images in work now. */
    public long pixelsInFlight() {
        lock.lock();
        try {
            return pixelsInFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting for admission now. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
