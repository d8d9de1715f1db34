package dev.imageservice.cli.bench;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of a load run, ready to print as text or JSON. Latencies are in milliseconds and
 * cover every completed request, failed ones included (as k6 does).
 */
public record BenchReport(
        String target,
        boolean newConnectionPerRequest,
        int connections,
        int concurrency,
        long rampMillis,
        long durationMillis,
        List<ImageSummary> images,
        long requests,
        long succeeded,
        long failed,
        long unfinished,
        double elapsedSeconds,
        double requestsPerSecond,
        Latency latencyMillis,
        double receivedBytesPerSecond,
        double sentBytesPerSecond,
        Map<String, Long> statuses,
        Map<String, String> firstErrors,
        double clientCpuMillisPerRequest,
        ServerUsage server,
        AnswerCheck answers) {

    /**
     * How the answers were checked: with {@code verify}, {@code verifiedImages} of the images got a
     * first answer that is their exact channel swap, and every answer of the load was compared with
     * it; {@code unverified} says why the others were checked by their PNG header only.
     */
    public record AnswerCheck(boolean verify, int verifiedImages, Map<String, String> unverified) {
    }

    /** One of the images sent. */
    public record ImageSummary(String name, int bytes, int width, int height) {
        static ImageSummary of(BenchImage image) {
            return new ImageSummary(image.name(), image.data().length, image.width(), image.height());
        }
    }

    /** Latency percentiles in milliseconds. */
    public record Latency(double p50, double p90, double p95, double p99, double max, double mean) {

        /** Reads percentiles from a histogram of microseconds; all zero when it is empty. */
        public static Latency ofMicros(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0);
            }
            return new Latency(ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                    ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)),
                    ms(micros.getMaxValue()), micros.getMean() / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /**
     * What the server process used during the run, read from /proc (Linux): CPU time (user +
     * system) and its peak and current resident memory.
     */
    public record ServerUsage(long pid, double cpuMillis, double cpuMillisPerRequest, long peakRssKiB, long rssKiB) {
    }
}
