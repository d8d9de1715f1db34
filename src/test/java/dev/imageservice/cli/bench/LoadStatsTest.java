package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadStatsTest {
    private final LoadStats stats = new LoadStats();

    @Test
    void percentilesOfAUniformSpreadOfLatencies() throws IOException {
        BenchImage image = BenchImage.of("in.png", PngCheckTest.encode(4, 3, "png"));
        Outcome ok = okOutcome(image);
        for (int ms = 1; ms <= 1000; ms++) {
            stats.record(image, ok, TimeUnit.MILLISECONDS.toNanos(ms));
        }

        BenchReport.Latency latency = BenchReport.Latency.ofMicros(stats.latencyMicros());

        // HdrHistogram with 3 significant digits: every value within 0.1%.
        assertThat(latency.p50()).isCloseTo(500, within(0.5));
        assertThat(latency.p90()).isCloseTo(900, within(0.9));
        assertThat(latency.p95()).isCloseTo(950, within(1.0));
        assertThat(latency.p99()).isCloseTo(990, within(1.0));
        assertThat(latency.max()).isCloseTo(1000, within(1.0));
        assertThat(latency.mean()).isCloseTo(500.5, within(0.5));
        assertThat(stats.count()).isEqualTo(1000);
        assertThat(stats.succeeded()).isEqualTo(1000);
    }

    @Test
    void emptyHistogramGivesZeros() {
        assertThat(BenchReport.Latency.ofMicros(stats.latencyMicros()))
                .isEqualTo(new BenchReport.Latency(0, 0, 0, 0, 0, 0));
    }

    @Test
    void outcomesAreCountedByStatusWithTheFirstMessageOfEachFailure() throws IOException {
        BenchImage image = BenchImage.of("in.png", PngCheckTest.encode(4, 3, "png"));
        stats.record(image, okOutcome(image), 1_000_000);
        stats.record(image, Outcome.failure("INVALID_ARGUMENT", 10, "could not decode"), 1_000_000);
        stats.record(image, Outcome.failure("INVALID_ARGUMENT", 10, "a later message"), 1_000_000);
        stats.record(image, Outcome.failure("UNAVAILABLE", 0, "Connection refused"), 1_000_000);

        assertThat(stats.statuses()).containsExactly(
                Map.entry("INVALID_ARGUMENT", 2L), Map.entry("OK", 1L), Map.entry("UNAVAILABLE", 1L));
        assertThat(stats.firstDetails()).containsExactly(
                Map.entry("INVALID_ARGUMENT", "could not decode"), Map.entry("UNAVAILABLE", "Connection refused"));
        assertThat(stats.succeeded()).isEqualTo(1);
        assertThat(stats.sentBytes()).isEqualTo(image.data().length + 20);
    }

    @Test
    void transportSuccessWithAWrongBodyCountsAsInvalid() throws IOException {
        BenchImage image = BenchImage.of("in.png", PngCheckTest.encode(4, 3, "png"));
        byte[] other = PngCheckTest.encode(3, 4, "png");

        stats.record(image, new Outcome("200", true, 1, other.length, other, null), 1_000_000);

        assertThat(stats.statuses()).containsExactly(Map.entry(LoadStats.INVALID_BODY, 1L));
        assertThat(stats.firstDetails()).containsEntry(LoadStats.INVALID_BODY, "PNG is 3x4, expected 4x3 for in.png");
        assertThat(stats.succeeded()).isZero();
    }

    @Test
    void clientFailureIsCountedWithItsException() {
        stats.recordClientFailure(new IllegalStateException("boom"), 1000);

        assertThat(stats.statuses()).containsExactly(Map.entry("client error", 1L));
        assertThat(stats.firstDetails()).containsEntry("client error", "IllegalStateException: boom");
    }

    static Outcome okOutcome(BenchImage image) throws IOException {
        byte[] png = PngCheckTest.encode(image.width(), image.height(), "png");
        return new Outcome("OK", true, image.data().length, png.length,
                Arrays.copyOf(png, Math.min(png.length, Outcome.HEAD_BYTES)), null);
    }
}
