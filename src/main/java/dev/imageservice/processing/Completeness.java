package dev.imageservice.processing;

/**
 * Detects truncated files that a decoder would otherwise accept. libjpeg decodes a JPEG cut short
 * "successfully", filling the missing rows with grey, and OpenCV reports no error; so a JPEG must
 * end with its end-of-image marker. A WebP must be as long as its RIFF header says.
 */
final class Completeness {
    /** How far from the end an end-of-image marker may sit (some cameras append trailers). */
    static final int TAIL_BYTES = 64 * 1024;

    private Completeness() {
    }

    /** @param head the file's first bytes, {@code tail} its last {@link #TAIL_BYTES}, {@code size} its length */
    static void check(byte[] head, byte[] tail, long size, ImageFormat format) {
        boolean complete = switch (format) {
            case JPEG -> jpegHasEndMarker(tail);
            case WEBP -> webpIsWhole(head, size);
            default -> true;
        };
        if (!complete) {
            throw ImageProcessingException.invalid("the " + format.displayName() + " image is truncated ("
                    + size + " bytes): its end is missing");
        }
    }

    private static boolean jpegHasEndMarker(byte[] d) { // d: the tail of the file
        int end = d.length;
        while (end > 2 && d[end - 1] == 0) { // zero padding after the marker is common
            end--;
        }
        for (int i = end - 2; i >= 0; i--) {
            if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static boolean webpIsWhole(byte[] d, long size) {
        if (d.length < 12) {
            return false;
        }
        long riffSize = (d[4] & 0xFFL) | (d[5] & 0xFFL) << 8 | (d[6] & 0xFFL) << 16 | (d[7] & 0xFFL) << 24;
        return size >= 8 + riffSize;
    }
}
