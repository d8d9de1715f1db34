package dev.imageservice.processing;

import java.util.ArrayList;
import java.util.List;

/**
 * The shutdown part of admission: once shutdown began, which waiters can still be answered to the
 * last byte within the grace period, at the recent {@link WorkPace} of the work and of the writing
 * of answers; the others are refused at once, so their clients can go elsewhere now instead of
 * being cut when the grace period ends.
 *
 * <p>Not thread-safe: {@link AdmissionController} and its leases call it with the controller's lock
 * held.
 */
final class AdmissionShutdown {
    /** How long images take in work, to tell which waiters can finish at shutdown. */
    private final WorkPace pace = new WorkPace();
    private boolean shutDown;
    /** Once shutdown began: when the grace period ends (System.nanoTime()). */
    private long graceEndsNanos;

    /** The pace of work and writing, which permits and answer leases report to. */
    WorkPace pace() {
        return pace;
    }

    boolean shutDown() {
        return shutDown;
    }

    /**
     * Begins shutdown with {@code graceNanos} to go, and returns the waiters of {@code queue} that
     * would not be answered in time (taken in queue order), to refuse.
     */
    List<AdmissionQueue.Waiter> begin(long graceNanos, MemoryBudget budget, AdmissionQueue queue) {
        List<AdmissionQueue.Waiter> refused = new ArrayList<>();
        shutDown = true;
        graceEndsNanos = System.nanoTime() + graceNanos;
        WorkPace.Plan plan = plan(budget);
        for (AdmissionQueue.Waiter waiter : queue) {
            if (!plan.admits(waiter.bytes())) {
                refused.add(waiter);
            }
        }
        plan.log(refused.size(), queue.size());
        return refused;
    }

    /** Whether shutdown began and this work would not be done and written before the grace period ends. */
    boolean refuses(long workBytes, MemoryBudget budget) {
        return shutDown && !plan(budget).admits(workBytes);
    }

    private WorkPace.Plan plan(MemoryBudget budget) {
        return pace.plan(graceEndsNanos, budget.inFlight(), budget.workAndOutputBytes(), budget.maxConcurrent());
    }

    static ImageProcessingException shuttingDown() {
        return new ImageProcessingException(ImageProcessingException.Kind.SHUTTING_DOWN,
                "the service is shutting down; try another instance or again later");
    }
}
