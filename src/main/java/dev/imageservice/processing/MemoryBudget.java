package dev.imageservice.processing;

/**
 * The accounting of the one memory budget: the bytes counted against it, split in two shares (the
 * inputs' {@link AdmissionController#INPUT_SHARE_PERCENT}% and the rest for work and unwritten
 * answers), and the work slots in use. It decides whether bytes fit; the {@link AdmissionController}
 * decides who gets them.
 *
 * <p>Not thread-safe: {@link AdmissionController} and its leases call it with the controller's lock
 * held.
 */
final class MemoryBudget {
    private final int maxConcurrent;
    private final long budgetBytes;
    private final long inputShareBytes;
    private final long workShareBytes;

    /** Images in work now (work slots taken). */
    private int inFlight;
    private long bytesInUse;
    /** The part of bytesInUse that is work or output (not inputs). */
    private long workAndOutputBytes;

    MemoryBudget(Limits limits) {
        this.maxConcurrent = limits.maxConcurrent();
        this.budgetBytes = limits.memoryBudgetBytes();
        this.inputShareBytes = budgetBytes * AdmissionController.INPUT_SHARE_PERCENT / 100;
        this.workShareBytes = budgetBytes - inputShareBytes;
    }

    /** Counts {@code delta} more bytes (fewer when negative) of work/output or of inputs. */
    void count(long delta, boolean work) {
        bytesInUse += delta;
        if (work) {
            workAndOutputBytes += delta;
        }
    }

    /** Whether {@code delta} more bytes fit in the share of work/output or of inputs. */
    boolean hasRoom(long delta, boolean work) {
        return work ? workAndOutputBytes + delta <= workShareBytes : inputBytes() + delta <= inputShareBytes;
    }

    /**
     * Room for this work in the work share, next to the work and outputs counted, or nothing else in
     * work or being written: then an image larger than the share goes alone, so the queue always
     * moves and the budget is exceeded by at most that one image's work.
     */
    boolean fits(long workBytes) {
        return inFlight < maxConcurrent
                && (workAndOutputBytes + workBytes <= workShareBytes || (inFlight == 0 && workAndOutputBytes == 0));
    }

    /** Takes a work slot; its bytes are counted by its permit. */
    void takeSlot() {
        inFlight++;
    }

    /** Gives a work slot back. */
    void freeSlot() {
        inFlight--;
    }

    /** Bytes of inputs counted now. */
    long inputBytes() {
        return bytesInUse - workAndOutputBytes;
    }

    ImageProcessingException overloaded(long bytes, boolean work) {
        return new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                "the service is overloaded: not enough memory for " + Limits.bytes(bytes) + " more "
                        + (work ? "work (" + Limits.bytes(workAndOutputBytes) + " of the " + Limits.bytes(workShareBytes)
                                : "input (" + Limits.bytes(inputBytes()) + " of the " + Limits.bytes(inputShareBytes))
                        + " for " + (work ? "work and answers" : "inputs") + " in use); try again later");
    }

    int maxConcurrent() {
        return maxConcurrent;
    }

    long budgetBytes() {
        return budgetBytes;
    }

    long inputShareBytes() {
        return inputShareBytes;
    }

    int inFlight() {
        return inFlight;
    }

    long bytesInUse() {
        return bytesInUse;
    }

    long workAndOutputBytes() {
        return workAndOutputBytes;
    }
}
