package dev.imageservice.processing.codec;

import dev.imageservice.processing.format.ImageHeader;
import org.opencv.core.Mat;

/** Turns encoded image bytes into pixels. */
public interface ImageDecoder {

    /**
     * Decodes {@code data} as stored: bit depth, channel count and alpha are kept.
     * The caller owns the returned Mat and must release it.
     *
     * @param header what the probe read from the same bytes (format, size, codec traits): use it
     *               rather than parsing the header again
     *
     * @throws ImageProcessingException if the data is not an image this decoder can read
     */
    Mat decode(byte[] data, ImageHeader header);

    /**
     * Whether {@link #decode} puts this image's pixels in memory the decoding thread keeps from
     * image to image, so the image adds no pixel memory of its own to what the process holds (the
     * memory budget then counts it by {@code Limits.ownWorkBytes}). False when unsure.
     */
    default boolean decodesIntoKeptMemory(ImageHeader header) {
        return false;
    }
}
