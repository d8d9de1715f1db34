package dev.imageservice.processing;

/**
 * What the service accepts and how much it does at once; the same for every transport.
 *
 * @param maxInputBytes        largest encoded image accepted
 * @param maxPixels            largest decoded image accepted, width x height, checked from the header
 * @param maxConcurrent        images decoded/encoded at the same time
 * @param memoryBudgetBytes    bytes all requests may hold at once: inputs (waiting included), work, outputs not yet
 *                             written (one image in work alone is always admitted)
 * @param maxQueued            requests that may wait for admission; beyond that, refused as overloaded
 * @param maxQueueWaitNanos    longest wait for admission before a request is refused as overloaded
 * @param maxQueuedPerClient   requests one client may have waiting (the queue is shared out in turns among
 *                             clients); beyond that, that client is refused as overloaded
 */
public record Limits(
        long maxInputBytes,
        long maxPixels,
        int maxConcurrent,
        long memoryBudgetBytes,
        int maxQueued,
        long maxQueueWaitNanos,
        int maxQueuedPerClient) {

    /** Without a per-client cap of its own: one client may fill the whole queue. */
    public Limits(long maxInputBytes, long maxPixels, int maxConcurrent, long memoryBudgetBytes, int maxQueued,
            long maxQueueWaitNanos) {
        this(maxInputBytes, maxPixels, maxConcurrent, memoryBudgetBytes, maxQueued, maxQueueWaitNanos, maxQueued);
    }

    public Limits {
        if (maxInputBytes < 1 || maxPixels < 1 || maxConcurrent < 1 || maxQueued < 0 || maxQueueWaitNanos < 0
                || maxQueuedPerClient < 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("the memory budget must be positive: " + this);
        }
    }

    /**
     * What decoding, transforming and encoding an image of {@code pixels} pixels holds at most, in
     * bytes. On the shipped fast path, an 8-bit RGB JPEG to PNG holds: the decoded pixels (a native
     * Mat, 3 bytes a pixel), the PNG encoder's output buffer (sized at 3/4 of the filtered rows,
     * 2.25 bytes a pixel), the finished PNG copied out of it (about 2 bytes a pixel for a photo),
     * and the input's copy for the decoder: {@value #WORK_BYTES_PER_PIXEL} bytes a pixel plus the
     * input (a 12 MP photo: 92 MiB). Operations count the largest image any step holds.
     */
    public static long workBytes(long pixels, long inputBytes) {
        return pixels * WORK_BYTES_PER_PIXEL + inputBytes;
    }

    /** See {@link #workBytes}. */
    public static final int WORK_BYTES_PER_PIXEL = 8;

    /**
     * What an image adds while it is in work when its worker's kept buffers hold its large
     * intermediates: the decoded pixels (native memory each worker keeps) and the PNG encoder's
     * buffer (an array each worker keeps). Those buffers are the process's fixed overhead, bounded by
     * the number of workers ({@code maxConcurrent} + {@link MemoryBudget#SPARE_SLOTS}) whatever the
     * load, and not counted per request (see the README, "How much memory the process needs"). What
     * the request adds: the finished PNG copied out of the encoder's buffer (at most that buffer,
     * 2.25 bytes a pixel), the pieces a parallel encode compresses into before they are joined, and
     * the input's copy: {@value #OWN_WORK_BYTES_PER_PIXEL} bytes a pixel plus the input (a 12 MP
     * photo: 48 MiB, against {@link #workBytes}'s 92 MiB).
     */
    public static long ownWorkBytes(long pixels, long inputBytes) {
        return pixels * OWN_WORK_BYTES_PER_PIXEL + inputBytes;
    }

    /** See {@link #ownWorkBytes}. */
    public static final int OWN_WORK_BYTES_PER_PIXEL = 4;

    /** Megapixels, for messages: "900 MP", "2.1 MP". */
    public static String megapixels(long pixels) {
        double mp = pixels / 1_000_000.0;
        return (mp >= 10 ? String.valueOf(Math.round(mp)) : String.format(java.util.Locale.ROOT, "%.1f", mp)) + " MP";
    }

    /** Bytes, for messages: "70.0 MiB", "512 KiB". */
    public static String bytes(long bytes) {
        if (bytes >= 1 << 20) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
        }
        if (bytes >= 1 << 10) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }
}
