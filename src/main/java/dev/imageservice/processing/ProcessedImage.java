package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageFormat;
import java.util.List;

/**
 * The result of processing one image: the encoded output, the shape of the result, and how long
 * each stage and each operation took (so that the ops layer can time them without the processor
 * knowing about metrics). The output stays counted against the memory budget until the transport
 * calls {@link #release()}, once its last byte is written (or the caller is gone). The output is
 * held in pieces ({@link OutputPieces}): transports write {@link #encoded()}; {@link #output()} joins
 * it into one array for callers that need one.
 *
 * @param encoded       the encoded output
 * @param info          the shape of the result (what the output holds)
 * @param decoded       the shape of the image as decoded (smaller than stored after shrink-on-load)
 * @param operations    the time of each operation, in order
 * @param releaseMemory gives the output's memory back to the budget
 */
public record ProcessedImage(
        OutputPieces encoded,
        String contentType,
        ImageFormat inputFormat,
        ImageInfo info,
        int inputBytes,
        long decodeNanos,
        long transformNanos,
        long encodeNanos,
        ImageInfo decoded,
        List<OperationTime> operations,
        Runnable releaseMemory) {

    public ProcessedImage {
        operations = List.copyOf(operations);
    }

    /** A result in one array that counts against no budget. */
    public ProcessedImage(byte[] output, String contentType, ImageFormat inputFormat, ImageInfo info, int inputBytes,
            long decodeNanos, long transformNanos, long encodeNanos, ImageInfo decoded, List<OperationTime> operations) {
        this(OutputPieces.of(output), contentType, inputFormat, info, inputBytes, decodeNanos, transformNanos, encodeNanos,
                decoded, operations, () -> { });
    }

    /** A result whose size did not change, whose operations are not timed one by one, counted against no budget. */
    public ProcessedImage(byte[] output, String contentType, ImageFormat inputFormat, ImageInfo info, int inputBytes,
            long decodeNanos, long transformNanos, long encodeNanos) {
        this(output, contentType, inputFormat, info, inputBytes, decodeNanos, transformNanos, encodeNanos, info, List.of());
    }

    /** The output as one array (joined once if it is in pieces; see {@link OutputPieces#toArray()}). */
    public byte[] output() {
        return encoded.toArray();
    }

    /** The output's size in bytes (without joining it). */
    public int outputLength() {
        return encoded.length();
    }

    /**
     * Gives the output's memory back to the budget (idempotent); call it once the output is written.
     * Pieces the transport has not recycled are left to the collector ({@link OutputPieces#settle()}).
     */
    public void release() {
        releaseMemory.run();
        encoded.settle();
    }

    /**
     * Gives the output's memory back now, unwritten, if its client holds more than its fair share of
     * the budget's work share while another client waits for room in it (a client that does not
     * read its answers would keep the others waiting). True when given back: the transport must then
     * end the call at once (the answer is no longer counted).
     */
    public boolean reclaimIfCrowding() {
        return releaseMemory instanceof AnswerLease answer && answer.reclaimIfCrowding();
    }

    /** The same result, its output's memory counted by {@code answer} until released. */
    public ProcessedImage withAnswer(AdmissionController.Lease answer) {
        return withRelease(answer instanceof AnswerLease counted ? counted : answer::close);
    }

    /** The same result, released by {@code release}. */
    public ProcessedImage withRelease(Runnable release) {
        return new ProcessedImage(encoded, contentType, inputFormat, info, inputBytes, decodeNanos, transformNanos,
                encodeNanos, decoded, operations, release);
    }

    public long totalNanos() {
        return decodeNanos + transformNanos + encodeNanos;
    }
}
