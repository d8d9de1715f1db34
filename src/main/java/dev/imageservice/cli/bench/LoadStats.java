package dev.imageservice.cli.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Collects outcomes from any number of threads: a latency histogram (microseconds, 3 significant
 * digits, so percentiles are within 0.1%), counts by status, bytes, and the first message seen for
 * each failing status.
 */
public final class LoadStats {
    /** Status under which responses with a transport success but a wrong body are counted. */
    public static final String INVALID_BODY = "invalid PNG";

    private final Histogram latencyMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> firstDetails = new ConcurrentHashMap<>();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder sentBytes = new LongAdder();
    private final LongAdder receivedBytes = new LongAdder();
    private final ExpectedAnswers expected;

    /** Checks answers by their PNG header only. */
    public LoadStats() {
        this(ExpectedAnswers.none());
    }

    /** Checks answers by their PNG header and, where {@code expected} has one, against the verified answer. */
    public LoadStats(ExpectedAnswers expected) {
        this.expected = expected;
    }

    /** Records one finished request: checks the body of a transport success, then counts it. */
    public void record(BenchImage image, Outcome outcome, long latencyNanos) {
        latencyMicros.recordValue(Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMicros(latencyNanos),
                latencyMicros.getHighestTrackableValue())));
        sentBytes.add(outcome.sentBytes());
        receivedBytes.add(outcome.receivedBytes());
        String status = outcome.status();
        String detail = outcome.detail();
        if (outcome.success()) {
            String problem = PngCheck.problem(outcome.head(), outcome.receivedBytes(), image);
            if (problem != null) {
                status = INVALID_BODY;
                detail = problem;
            } else if ((problem = expected.problem(image, outcome)) != null) {
                status = ExpectedAnswers.WRONG_ANSWER;
                detail = problem;
            }
        }
        boolean ok = outcome.success() && status.equals(outcome.status());
        if (ok) {
            succeeded.increment();
        }
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        if (detail != null && !ok) {
            firstDetails.putIfAbsent(status, detail);
        }
    }

    /** Records a request whose sender failed unexpectedly (a bug or a local resource problem). */
    public void recordClientFailure(Throwable error, long latencyNanos) {
        String detail = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        record(null, Outcome.failure("client error", 0, detail), latencyNanos);
    }

    public long count() {
        return latencyMicros.getTotalCount();
    }

    /** Requests that succeeded and returned a valid PNG. */
    public long succeeded() {
        return succeeded.sum();
    }

    /** Requests per status, in name order. */
    public Map<String, Long> statuses() {
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.sum()));
        return counts;
    }

    public Map<String, String> firstDetails() {
        return new TreeMap<>(firstDetails);
    }

    public long sentBytes() {
        return sentBytes.sum();
    }

    public long receivedBytes() {
        return receivedBytes.sum();
    }

    /** A copy of the latency histogram (microseconds). */
    public Histogram latencyMicros() {
        return latencyMicros.copy();
    }
}
