package dev.imageservice.processing;

import org.opencv.core.Mat;

/** Turns encoded image bytes into pixels. */
public interface ImageDecoder {

    /**
     * Decodes {@code data} as stored: bit depth, channel count and alpha are kept.
     * The caller owns the returned Mat and must release it.
     *
     * @throws ImageProcessingException if the data is not an image this decoder can read
     */
    Mat decode(byte[] data, ImageFormat format);
}
