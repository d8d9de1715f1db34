package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageFormat;

/**
 * The result of processing one image: the encoded output, the shape of the decoded image, and how
 * long each stage took (so that the ops layer can time the stages without the processor knowing
 * about metrics). The output stays counted against the memory budget until the transport calls
 * {@link #release()}, once its last byte is written (or the caller is gone).
 */
public record ProcessedImage(
        byte[] output,
        String contentType,
        ImageFormat inputFormat,
        ImageInfo info,
        int inputBytes,
        long decodeNanos,
        long transformNanos,
        long encodeNanos,
        Runnable releaseMemory) {

    /** A result that counts against no budget. */
    public ProcessedImage(byte[] output, String contentType, ImageFormat inputFormat, ImageInfo info, int inputBytes,
            long decodeNanos, long transformNanos, long encodeNanos) {
        this(output, contentType, inputFormat, info, inputBytes, decodeNanos, transformNanos, encodeNanos, () -> { });
    }

    /** Gives the output's memory back to the budget (idempotent); call it once the output is written. */
    public void release() {
        releaseMemory.run();
    }

    /** The same result, released by {@code release}. */
    public ProcessedImage withRelease(Runnable release) {
        return new ProcessedImage(output, contentType, inputFormat, info, inputBytes, decodeNanos, transformNanos,
                encodeNanos, release);
    }

    public long totalNanos() {
        return decodeNanos + transformNanos + encodeNanos;
    }
}
