package dev.imageservice.processing;

/**
 * What the service accepts and how much it does at once; the same for every transport.
 *
 * @param maxInputBytes        largest encoded image accepted
 * @param maxPixels            largest decoded image accepted, width x height, checked from the header
 * @param maxConcurrent        images decoded/encoded at the same time
 * @param maxPixelsInFlight    decoded pixels of all images in work at once (one image alone is always admitted)
 * @param maxQueued            requests that may wait for admission; beyond that, refused as overloaded
 * @param maxQueueWaitNanos    longest wait for admission before a request is refused as overloaded
 */
public record Limits(
        long maxInputBytes,
        long maxPixels,
        int maxConcurrent,
        long maxPixelsInFlight,
        int maxQueued,
        long maxQueueWaitNanos) {

    public Limits {
        if (maxInputBytes < 1 || maxPixels < 1 || maxConcurrent < 1 || maxQueued < 0 || maxQueueWaitNanos < 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
        if (maxPixelsInFlight < maxPixels) {
            throw new IllegalArgumentException("maxPixelsInFlight (" + maxPixelsInFlight
                    + ") must be at least maxPixels (" + maxPixels + ")");
        }
    }

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
