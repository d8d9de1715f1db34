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
        byte[] data;
        try {
            data = in.readNBytes(Math.toIntExact(limit + 1));
        } catch (OutOfMemoryError e) {
            // The body did not fit the heap right now: refuse it as overload, not as a 500.
            throw new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                    "not enough memory for this image right now; try again later", e);
        }
        if (data.length > limit) {
            throw tooLarge(limit);
        }
        return data;
    }

    static ImageProcessingException tooLarge(long limit) {
        return ImageProcessingException.tooManyBytes(limit);
    }
}
