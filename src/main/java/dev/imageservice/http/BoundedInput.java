package dev.imageservice.http;

import dev.imageservice.processing.ImageProcessingException;
import java.io.IOException;
import java.io.InputStream;

/** Reads an upload into memory without ever holding more than the limit plus one byte. */
final class BoundedInput {

    private BoundedInput() {
    }

    /**
     * Reads {@code in} to its end, or refuses it as soon as it turns out to hold more than
     * {@code limit} bytes: one byte past the limit is enough to know, so at most limit + 1 bytes are
     * read and the rest of the upload is never looked at.
     */
    static byte[] readAtMost(InputStream in, long limit) throws IOException {
        // readNBytes grows its buffer with what arrives; it does not allocate limit + 1 up front.
        byte[] data = in.readNBytes(Math.toIntExact(limit + 1));
        if (data.length > limit) {
            throw tooLarge(limit);
        }
        return data;
    }

    static ImageProcessingException tooLarge(long limit) {
        return new ImageProcessingException(ImageProcessingException.Kind.TOO_MANY_BYTES,
                "the image is larger than the limit of " + limit + " bytes (" + humanSize(limit) + ")");
    }

    private static String humanSize(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " B";
    }
}
