package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageFormat;

/**
 * The result of processing one image: the encoded output, the shape of the decoded image, and how
 * long each stage took (so that the ops layer can time the stages without the processor knowing
 * about metrics).
 */
public record ProcessedImage(
        byte[] output,
        String contentType,
        ImageFormat inputFormat,
        ImageInfo info,
        int inputBytes,
        long decodeNanos,
        long transformNanos,
        long encodeNanos) {

    public long totalNanos() {
        return decodeNanos + transformNanos + encodeNanos;
    }
}
