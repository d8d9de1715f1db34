package dev.imageservice.processing.codec;

import dev.imageservice.processing.ImageOperation;
import java.util.Optional;
import org.opencv.core.Mat;

/** Turns pixels into an encoded image file. New output formats are new implementations of this. */
public interface ImageEncoder {

    /** The media type of what {@link #encode} returns, e.g. {@code image/png}. */
    String contentType();

    /** Encodes the pixels; does not release {@code image}. */
    byte[] encode(Mat image);

    /**
     * Encodes the pixels into {@code sink} (in one or more writes); does not release {@code image}.
     * An encoder with a working buffer of its own writes from it and keeps it for the next image.
     */
    default void encodeInto(Mat image, ByteSink sink) {
        byte[] encoded = encode(image);
        sink.write(encoded, 0, encoded.length);
    }

    /**
     * An encoder that does {@code operation}'s work itself while it encodes, or empty if this one
     * cannot. For every image, {@code absorb(op).get().encode(image)} must produce the same pixels as
     * {@code encode(op.apply(image))}. The pipeline uses it to skip a pass over the pixels (and a
     * native allocation) when the operation is only a reordering the encoder gets for free.
     */
    default Optional<ImageEncoder> absorb(ImageOperation operation) {
        return Optional.empty();
    }

    /**
     * Whether encoding a {@code width x height} 8-bit image of {@code channels} works in a buffer
     * the encoding thread keeps from image to image (the memory budget then counts the image by
     * {@code Limits.ownWorkBytes}). False when unsure.
     */
    default boolean encodesInKeptBuffer(int width, int height, int channels) {
        return false;
    }
}
