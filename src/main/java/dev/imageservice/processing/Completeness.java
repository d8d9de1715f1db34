package dev.imageservice.processing;

/**
 * Detects truncated files that a decoder would otherwise accept. libjpeg decodes a JPEG cut short
 * "successfully", filling the missing rows with grey, and OpenCV reports no error; so a JPEG must
 * end with its end-of-image marker. A WebP must be as long as its RIFF header says.
 */
final class Completeness {
    /** How far from the end an end-of-image marker may sit (some cameras append trailers). */
    private static final int JPEG_TRAILER_ALLOWANCE = 64 * 1024;

    private Completeness() {
    }

    static void check(byte[] data, ImageFormat format) {
        boolean complete = switch (format) {
            case JPEG -> jpegHasEndMarker(data);
            case WEBP -> webpIsWhole(data);
            default -> true;
        };
        if (!complete) {
            throw ImageProcessingException.invalid("the " + format.displayName() + " image is truncated ("
                    + data.length + " bytes): its end is missing");
        }
    }

    private static boolean jpegHasEndMarker(byte[] d) {
        int end = d.length;
        while (end > 2 && d[end - 1] == 0) { // zero padding after the marker is common
            end--;
        }
        int stop = Math.max(2, end - JPEG_TRAILER_ALLOWANCE);
        for (int i = end - 2; i >= stop; i--) {
            if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static boolean webpIsWhole(byte[] d) {
        if (d.length < 12) {
            return false;
        }
        long riffSize = (d[4] & 0xFFL) | (d[5] & 0xFFL) << 8 | (d[6] & 0xFFL) << 16 | (d[7] & 0xFFL) << 24;
        return d.length >= 8 + riffSize;
    }
}
