package dev.imageservice.processing;

/**
 * How fast images have recently been worked on and their answers written, to tell at shutdown which
 * waiters can still be answered, to the last byte, within the grace period.
 *
 * <p>Work: moving averages of the time per image and, for images large enough that the fixed cost
 * of a call does not dominate, of the time per byte of work. Writing: the bytes of answers written
 * per second of time during which some answer was waiting to be written (clients that read slowly,
 * or a transport that shares the cores with the work, make it slow; answers taken at once make it
 * fast), over roughly the last {@link #WRITE_WINDOW_NANOS}. An answer can be written only after all
 * answers ready before it (they share the connections and the cores), so a waiter is done when the
 * work ahead of it and its own are done, and when every answer ahead of it and its own are written.
 * Not thread-safe: the admission controller calls it under its lock.
 */
final class WorkPace {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkPace.class);
    /** Images with less work than this tell little about the time per byte. */
    static final long RATE_SAMPLE_MIN_BYTES = 1 << 20;
    /** Until a large image was done: a slow core with a cold JIT (2 MP, ~20 MB of work: 100 ms). */
    static final double UNKNOWN_NANOS_PER_BYTE = 5;
    /** An image may take this many times the recent pace (GC, a busy machine) and still finish in time. */
    static final int SAFETY_FACTOR = 2;
    /** Answers may be written this much slower than recently and still be written in time. */
    static final double WRITE_SAFETY_FACTOR = 1.5;
    /** Writing is measured over about this much time with answers waiting (older time counts half, and so on). */
    static final long WRITE_WINDOW_NANOS = 10_000_000_000L;

    private long nanosAverage;
    private double nanosPerByte;
    /** Bytes of answer per byte of work, to foresee the answers of images not yet done. */
    private double answerPerWorkByte;

    /** Answers handed to a transport and not yet written. */
    private long unwrittenBytes;
    private long lastEventNanos;
    /** Within the window: time with some answer unwritten, and bytes written meanwhile. */
    private double busyNanos;
    private double writtenBytes;

    /**
     * One image's work is done: it took {@code nanos} for {@code workBytes} of work, and its answer
     * of {@code answerBytes} is now to be written.
     */
    void done(long nanos, long workBytes, long answerBytes, long now) {
        nanosAverage = nanosAverage == 0 ? nanos : (nanosAverage * 4 + nanos) / 5;
        if (workBytes >= RATE_SAMPLE_MIN_BYTES) {
            double perByte = (double) nanos / workBytes;
            nanosPerByte = nanosPerByte == 0 ? perByte : (nanosPerByte * 4 + perByte) / 5;
        }
        if (workBytes > 0) {
            double ratio = (double) answerBytes / workBytes;
            answerPerWorkByte = answerPerWorkByte == 0 ? ratio : (answerPerWorkByte * 4 + ratio) / 5;
        }
        advance(now);
        unwrittenBytes += answerBytes;
    }

    /** An answer of {@code bytes} is written (or was given up: its call ended). */
    void written(long bytes, long now) {
        advance(now);
        unwrittenBytes = Math.max(0, unwrittenBytes - bytes);
        writtenBytes += bytes;
    }

    private void advance(long now) {
        if (unwrittenBytes > 0 && lastEventNanos != 0) {
            busyNanos += now - lastEventNanos;
        }
        lastEventNanos = now;
        while (busyNanos > WRITE_WINDOW_NANOS) {
            busyNanos /= 2;
            writtenBytes /= 2;
        }
    }

    /** How long this much work may take, with room for a slower turn than the recent ones. */
    long expectedNanos(long workBytes) {
        double perByte = nanosPerByte > 0 ? nanosPerByte : UNKNOWN_NANOS_PER_BYTE;
        return (long) (Math.max(nanosAverage, perByte * workBytes) * SAFETY_FACTOR);
    }

    /** Nanoseconds to write a byte of answer, with the safety factor; 0 while nothing tells. */
    private double writeNanosPerByte() {
        if (busyNanos <= 0) {
            return 0; // every answer so far was taken at once (or none was written yet)
        }
        // Before the first answer is written, the one being written has taken at least the time so far.
        return busyNanos / Math.max(writtenBytes, Math.max(1, unwrittenBytes)) * WRITE_SAFETY_FACTOR;
    }

    /**
     * Which waiters, taken in queue order, can be done and written before {@code deadlineNanos}
     * ({@link System#nanoTime()}), given
     * {@code inFlight} images in work and {@code workAndAnswerBytes} of work and answers counted
     * (the admission controller's figures).
     */
    Plan plan(long deadlineNanos, int inFlight, long workAndAnswerBytes, int maxConcurrent) {
        long now = System.nanoTime();
        advance(now);
        long nanosLeft = deadlineNanos - now;
        long inWorkBytes = Math.max(0, workAndAnswerBytes - unwrittenBytes);
        long inWorkNanos = inFlight > 0 ? expectedNanos(inWorkBytes / inFlight) : 0;
        double answersAhead = unwrittenBytes + inWorkBytes * answerPerWorkByte;
        return new Plan(nanosLeft, inWorkNanos, answersAhead, Math.max(1, maxConcurrent));
    }

    /** Admits waiters in queue order while they would be done and written in time; see {@link #plan}. */
    final class Plan {
        private final long nanosLeft;
        private final long inWorkNanos;
        private final int workSlots;
        private final double answersAtStart;
        private double answersAhead;
        private long workAhead;

        private Plan(long nanosLeft, long inWorkNanos, double answersAhead, int workSlots) {
            this.answersAtStart = answersAhead;
            this.nanosLeft = nanosLeft;
            this.inWorkNanos = inWorkNanos;
            this.answersAhead = answersAhead;
            this.workSlots = workSlots;
        }

        /**
         * Whether a waiter with {@code workBytes} of work, behind those admitted by this plan so far,
         * would be done and its answer written in time; if so it counts as ahead of the next one.
         */
        boolean admits(long workBytes) {
            long own = expectedNanos(workBytes);
            double answers = answersAhead + workBytes * answerPerWorkByte;
            boolean worked = inWorkNanos + workAhead / workSlots + own <= nanosLeft;
            boolean written = answers <= 0 || answers * writeNanosPerByte() <= nanosLeft;
            if (!worked || !written) {
                return false;
            }
            workAhead += own;
            answersAhead = answers;
            return true;
        }

        /** Logs what shutdown decided, and from what, once its waiters have been through {@link #admits}. */
        void log(int refused, int waiting) {
            double perByte = writeNanosPerByte();
            LOG.info("Shutdown: {} of {} waiting requests refused at once, the others are expected to be done and"
                            + " written in time ({} ms left; answers written at {}, {} MB to write before the first waiter,"
                            + " {} ms per image in work)", refused, waiting, nanosLeft / 1_000_000,
                    perByte <= 0 ? "no measured limit" : String.format(java.util.Locale.ROOT, "%.1f MB/s", 1e3 / perByte),
                    String.format(java.util.Locale.ROOT, "%.1f", answersAtStart / 1e6), expectedNanos(0) / 1_000_000);
        }
    }
}
