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
}
