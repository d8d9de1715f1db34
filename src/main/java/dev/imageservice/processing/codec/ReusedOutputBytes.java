package dev.imageservice.processing.codec;

/**
 * The PNG encoder's output buffer, kept by each thread that encodes for its next image: a 12 MP
 * photo's buffer is 27 MB, and allocating one per image made G1 commit heap for a fresh contiguous
 * humongous run each time (docs/PERFORMANCE.md 5.6, "Sixth pass"). Buffers above
 * {@link #MAX_KEPT_BYTES} are not kept, so a rare huge image does not pin its buffer; a worker
 * thread keeps at most one.
 */
final class ReusedOutputBytes {
    /** The largest buffer a thread keeps: a 12 MP RGB photo's needs 27 MB. */
    static final int MAX_KEPT_BYTES = 32 << 20;

    private static final ThreadLocal<OutputBytes> KEPT = new ThreadLocal<>();

    private ReusedOutputBytes() {
    }

    /** Whether a buffer of {@code capacity} bytes is kept for the thread's next image once used. */
    static boolean keeps(long capacity) {
        return capacity <= MAX_KEPT_BYTES;
    }

    /** This thread's kept buffer, emptied, if it holds {@code capacity}; else a new one. */
    static OutputBytes take(int capacity) {
        OutputBytes kept = KEPT.get();
        if (kept != null && kept.data.length >= capacity) {
            KEPT.remove();
            kept.size = 0;
            return kept;
        }
        return new OutputBytes(capacity);
    }

    /** Keeps {@code used} for this thread's next image if it is not too large (once its bytes are copied out). */
    static void giveBack(OutputBytes used) {
        if (used.data.length <= MAX_KEPT_BYTES) {
            OutputBytes kept = KEPT.get();
            if (kept == null || kept.data.length <= used.data.length) {
                used.size = 0;
                KEPT.set(used);
            }
        }
    }
}
