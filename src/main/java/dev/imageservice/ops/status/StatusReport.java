package dev.imageservice.ops.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the status page shows, computed from the sampler's readings: now (the last
 * {@link #NOW_SECONDS} seconds) and a series over the last minutes in steps of {@link #STEP_SECONDS}.
 * Percentiles are interpolated within histogram buckets exactly as Prometheus'
 * {@code histogram_quantile} does, so they agree with a Prometheus query over the same window.
 */
public final class StatusReport {
    static final int NOW_SECONDS = 10;
    static final int STEP_SECONDS = 5;

    private StatusReport() {
    }

    /** The JSON body of {@code /status.json}. */
    public static Map<String, Object> of(StatusSampler sampler) {
        List<StatusSampler.Sample> samples = sampler.samples();
        double[] bounds = sampler.bucketBounds();
        Map<String, Object> report = new LinkedHashMap<>();
        StatusSampler.Sample last = samples.get(samples.size() - 1);
        report.put("time", last.epochMillis());
        report.put("windowSeconds", StatusSampler.WINDOW_SECONDS);
        report.put("stepSeconds", STEP_SECONDS);
        report.put("now", window(samples, Math.max(0, samples.size() - 1 - NOW_SECONDS), samples.size() - 1, bounds));
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("requests", last.count());
        totals.put("failedByKind", last.failed());
        report.put("totals", totals);
        report.put("gauges", last.gauges());
        List<Map<String, Object>> series = new ArrayList<>();
        for (int end = samples.size() - 1; end - STEP_SECONDS >= 0; end -= STEP_SECONDS) {
            series.add(0, window(samples, end - STEP_SECONDS, end, bounds));
        }
        report.put("series", series);
        return report;
    }

    private static Map<String, Object> window(List<StatusSampler.Sample> samples, int from, int to, double[] bounds) {
        StatusSampler.Sample first = samples.get(from);
        StatusSampler.Sample last = samples.get(to);
        double seconds = Math.max(1e-3, (last.epochMillis() - first.epochMillis()) / 1000.0);
        double calls = last.count() - first.count();
        double[] buckets = new double[last.buckets().length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = last.buckets()[i] - first.buckets()[i];
        }
        Map<String, Double> errorsPerSecond = new LinkedHashMap<>();
        double errors = 0;
        for (Map.Entry<String, Double> kind : last.failed().entrySet()) {
            double failed = kind.getValue() - first.failed().getOrDefault(kind.getKey(), 0.0);
            errors += failed;
            if (failed > 0) {
                errorsPerSecond.put(kind.getKey(), failed / seconds);
            }
        }
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("time", last.epochMillis());
        window.put("requestsPerSecond", calls / seconds);
        window.put("errorsPerSecond", errors / seconds);
        window.put("errorsPerSecondByKind", errorsPerSecond);
        window.put("p50Seconds", quantile(0.5, bounds, buckets));
        window.put("p99Seconds", quantile(0.99, bounds, buckets));
        window.put("meanSeconds", calls > 0 ? (last.sum() - first.sum()) / calls : null);
        window.put("queued", last.gauges().get("image.admission.queued"));
        window.put("inFlight", last.gauges().get("image.admission.in-flight"));
        window.put("memoryInUse", last.gauges().get("image.memory.in-use-bytes"));
        return window;
    }

    /**
     * Prometheus' histogram_quantile: {@code cumulative[i]} observations were at most
     * {@code bounds[i]} (the last, +Inf, is the total). Null when there were no observations.
     */
    static Double quantile(double q, double[] bounds, double[] cumulative) {
        double total = cumulative[cumulative.length - 1];
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] >= rank) {
                if (i == cumulative.length - 1) {
                    return bounds[bounds.length - 2]; // in +Inf: the highest finite bound, as Prometheus does
                }
                double lower = i == 0 ? 0 : bounds[i - 1];
                double below = i == 0 ? 0 : cumulative[i - 1];
                double inBucket = cumulative[i] - below;
                return inBucket <= 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / inBucket;
            }
        }
        return bounds[bounds.length - 2];
    }
}
