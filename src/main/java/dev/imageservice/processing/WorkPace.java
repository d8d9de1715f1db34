package dev.imageservice.processing;

/**
 * How long images have recently taken in work, to tell at shutdown which waiters can still finish
 * within the grace period. Moving averages of the time per image and, for images large enough that
 * the fixed cost of a call does not dominate, of the time per byte of work: an image is expected to
 * take at least the recent time, more if it is large, times a safety factor. Not thread-safe: the
 * admission controller calls it under its lock.
 */
final class WorkPace {
    /** Images with less work than this tell little about the time per byte. */
    static final long RATE_SAMPLE_MIN_BYTES = 1 << 20;
    /** Until a large image was done: a slow core with a cold JIT (2 MP, ~20 MB of work: 100 ms). */
    static final double UNKNOWN_NANOS_PER_BYTE = 5;
    /** An image may take this many times the recent pace (GC, a busy machine) and still finish in time. */
    static final int SAFETY_FACTOR = 2;

    private long nanosAverage;
    private double nanosPerByte;

    /** One image's work is done: it took {@code nanos} for {@code workBytes} of work. */
    void done(long nanos, long workBytes) {
        nanosAverage = nanosAverage == 0 ? nanos : (nanosAverage * 4 + nanos) / 5;
        if (workBytes >= RATE_SAMPLE_MIN_BYTES) {
            double perByte = (double) nanos / workBytes;
            nanosPerByte = nanosPerByte == 0 ? perByte : (nanosPerByte * 4 + perByte) / 5;
        }
    }

    /** How long this much work may take, with room for a slower turn than the recent ones. */
    long expectedNanos(long workBytes) {
        double perByte = nanosPerByte > 0 ? nanosPerByte : UNKNOWN_NANOS_PER_BYTE;
        return (long) (Math.max(nanosAverage, perByte * workBytes) * SAFETY_FACTOR);
    }
}
