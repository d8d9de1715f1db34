package dev.imageservice.processing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The accounting of the one memory budget: the bytes counted against it, split in two shares (the
 * inputs' {@link AdmissionController#INPUT_SHARE_PERCENT}% and the rest for work and unwritten
 * answers), and the work slots in use. It decides whether bytes fit; the {@link AdmissionController}
 * decides who gets them.
 *
 * <p>Work and unwritten answers are also counted per client (issue 12's fair shares of the budget):
 * {@link #fairShare} is the work share divided among the clients that wait or hold some of it.
 *
 * <p>Not thread-safe: {@link AdmissionController} and its leases call it with the controller's lock
 * held.
 */
final class MemoryBudget {
    /**
     * Work slots beyond {@code maxConcurrent}, for a client with no image in work when every slot is
     * taken by other clients' images (issue 12's fairness): its call need not wait for one of theirs
     * to finish. The worker pool has this many threads more.
     */
    static final int SPARE_SLOTS = 1;

    private final int maxConcurrent;
    private final long budgetBytes;
    private final long inputShareBytes;
    private final long workShareBytes;

    /** Images in work now (work slots taken). */
    private int inFlight;
    private long bytesInUse;
    /** The part of bytesInUse that is work or output (not inputs). */
    private long workAndOutputBytes;
    /** Work and output bytes per client, for clients holding some. */
    private final Map<String, Long> heldByClient = new HashMap<>();
    /** Work slots per client, for clients with some. */
    private final Map<String, Integer> inFlightByClient = new HashMap<>();

    MemoryBudget(Limits limits) {
        this.maxConcurrent = limits.maxConcurrent();
        this.budgetBytes = limits.memoryBudgetBytes();
        this.inputShareBytes = budgetBytes * AdmissionController.INPUT_SHARE_PERCENT / 100;
        this.workShareBytes = budgetBytes - inputShareBytes;
    }

    /**
     * Counts {@code delta} more bytes (fewer when negative) of work/output or of inputs; work and
     * output also for {@code client} (null: nobody's).
     */
    void count(long delta, boolean work, String client) {
        bytesInUse += delta;
        if (work) {
            workAndOutputBytes += delta;
            if (client != null && delta != 0) {
                heldByClient.merge(client, delta, (held, more) -> held + more == 0 ? null : held + more);
            }
        }
    }

    /** Work and output bytes {@code client} holds now. */
    long heldBy(String client) {
        return heldByClient.getOrDefault(client, 0L);
    }

    /** Images of {@code client} in work now. */
    int inFlightBy(String client) {
        return inFlightByClient.getOrDefault(client, 0);
    }

    /**
     * The work share divided among the clients that hold some of it or wait ({@code waiting}), at
     * least one.
     */
    long fairShare(Set<String> waiting) {
        int clients = heldByClient.size();
        for (String client : waiting) {
            if (!heldByClient.containsKey(client)) {
                clients++;
            }
        }
        return workShareBytes / Math.max(1, clients);
    }

    /** Whether {@code delta} more bytes fit in the share of work/output or of inputs. */
    boolean hasRoom(long delta, boolean work) {
        return work ? workAndOutputBytes + delta <= workShareBytes : inputBytes() + delta <= inputShareBytes;
    }

    /**
     * A work slot for {@code client} and room for this work in the work share, next to the work and
     * outputs counted, or nothing else in work or being written: then an image larger than the share
     * goes alone, so the queue always moves and the budget is exceeded by at most that one image's
     * work. The slot is one of {@code maxConcurrent}, or, when they are all taken by other clients'
     * work and {@code client} has none, the {@link #SPARE_SLOTS} spare one.
     */
    boolean fits(long workBytes, String client) {
        boolean slot = inFlight < maxConcurrent || (inFlight < maxConcurrent + SPARE_SLOTS && inFlightBy(client) == 0);
        return slot && (workAndOutputBytes + workBytes <= workShareBytes || (inFlight == 0 && workAndOutputBytes == 0));
    }

    /** Whether every one of the {@code maxConcurrent} work slots is taken and a spare one is free. */
    boolean onlySpareSlotsFree() {
        return inFlight >= maxConcurrent && inFlight < maxConcurrent + SPARE_SLOTS;
    }

    /** Takes a work slot for {@code client}; its bytes are counted by its permit. */
    void takeSlot(String client) {
        inFlight++;
        inFlightByClient.merge(client, 1, Integer::sum);
    }

    /** Gives {@code client}'s work slot back. */
    void freeSlot(String client) {
        inFlight--;
        inFlightByClient.merge(client, -1, (slots, less) -> slots + less == 0 ? null : slots + less);
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
