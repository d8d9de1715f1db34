package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageFormat;
import java.util.List;

/**
 * The result of processing one image: the encoded output, the shape of the result, and how long
 * each stage and each operation took (so that the ops layer can time them without the processor
 * knowing about metrics).
 *
 * @param info       the shape of the result (what the output holds)
 * @param decoded    the shape of the image as decoded (smaller than stored after shrink-on-load)
 * @param operations the time of each operation, in order
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
        ImageInfo decoded,
        List<OperationTime> operations) {

    public ProcessedImage {
        operations = List.copyOf(operations);
    }

    /** A result whose size did not change and whose operations are not timed one by one. */
    public ProcessedImage(byte[] output, String contentType, ImageFormat inputFormat, ImageInfo info, int inputBytes,
            long decodeNanos, long transformNanos, long encodeNanos) {
        this(output, contentType, inputFormat, info, inputBytes, decodeNanos, transformNanos, encodeNanos, info, List.of());
    }

    public long totalNanos() {
        return decodeNanos + transformNanos + encodeNanos;
    }
}
