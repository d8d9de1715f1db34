package dev.imageservice.ops.status;

import com.codahale.metrics.MetricRegistry;
import dev.imageservice.ops.metrics.PrometheusMetrics;
import dev.imageservice.processing.ImageProcessingException;
import io.dropwizard.lifecycle.Managed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the service's counters once a second and keeps the last {@link #WINDOW_SECONDS} of
 * readings, from which the status page's numbers are computed as Prometheus would compute them
 * from the same counters: rates from differences, percentiles from histogram bucket differences.
 */
public final class StatusSampler implements Managed {
    public static final int WINDOW_SECONDS = 300;

    private final PrometheusMetrics prometheus;
    private final MetricRegistry metrics;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private ScheduledExecutorService timer;

    public StatusSampler(PrometheusMetrics prometheus, MetricRegistry metrics) {
        this.prometheus = prometheus;
        this.metrics = metrics;
    }

    /** One reading: cumulative counts at a moment, and the gauges of that moment. */
    record Sample(long epochMillis, double count, double sum, double[] buckets, Map<String, Double> failed,
            Map<String, Double> gauges) {
    }

    @Override
    public void start() {
        sample();
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "status-sampler");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Takes one reading now (the timer does this every second). */
    public void sample() {
        var histogram = prometheus.processSeconds().labels().get();
        Map<String, Double> failed = new LinkedHashMap<>();
        for (ImageProcessingException.Kind kind : ImageProcessingException.Kind.values()) {
            failed.put(kind.name(), prometheus.failedCount(kind.name()));
        }
        Map<String, Double> gauges = new LinkedHashMap<>();
        metrics.getGauges((name, metric) -> name.startsWith("image.")).forEach((name, gauge) -> {
            if (gauge.getValue() instanceof Number number) {
                gauges.put(name, number.doubleValue());
            }
        });
        double[] buckets = histogram.buckets.clone();
        Sample sample = new Sample(System.currentTimeMillis(), buckets[buckets.length - 1], histogram.sum, buckets,
                failed, gauges);
        synchronized (samples) {
            samples.addLast(sample);
            while (samples.size() > WINDOW_SECONDS + 1) {
                samples.removeFirst();
            }
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    double[] bucketBounds() {
        return prometheus.processSecondsBounds();
    }
}
