package dev.imageservice.ops.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.RequestContext;
import dev.imageservice.processing.StageListener;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Measures another processor: a timer of every call, a timer per stage (from the stage durations
 * that the processor reports), sizes in and out, decoded pixels, and failures by kind. Transports
 * call this instead of the processor itself, so neither the transports nor the processor hold
 * metrics code.
 */
public final class MeteredImageProcessor implements ImageProcessor {
    private final ImageProcessor delegate;
    private final Timer process;
    private final Timer decode;
    private final Timer transform;
    private final Timer encode;
    private final Histogram inputBytes;
    private final Histogram outputBytes;
    private final Histogram decodedPixels;
    private final OperationTimers operationTimers;
    private final Map<ImageProcessingException.Kind, Meter> failed = new EnumMap<>(ImageProcessingException.Kind.class);
    private final PrometheusMetrics prometheus;
    private final StageListener stages;

    /** Measures into {@code metrics} only (a Prometheus registry of its own that nobody serves). */
    public MeteredImageProcessor(ImageProcessor delegate, MetricRegistry metrics) {
        this(delegate, metrics, new PrometheusMetrics());
    }

    public MeteredImageProcessor(ImageProcessor delegate, MetricRegistry metrics, PrometheusMetrics prometheus) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        operationTimers = new OperationTimers(metrics);
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
        this.stages = (stage, name, startNanos, endNanos) -> {
            double seconds = (endNanos - startNanos) / 1e9;
            prometheus.stageSeconds.labels(stageLabel(stage)).observe(seconds);
            if (stage == StageListener.Stage.OPERATION) {
                prometheus.operationSeconds.labels(name).observe(seconds);
            }
        };
        process = metrics.timer(MetricNames.PROCESS);
        decode = metrics.timer(MetricNames.STAGE_DECODE);
        transform = metrics.timer(MetricNames.STAGE_TRANSFORM);
        encode = metrics.timer(MetricNames.STAGE_ENCODE);
        inputBytes = metrics.histogram(MetricNames.INPUT_BYTES);
        outputBytes = metrics.histogram(MetricNames.OUTPUT_BYTES);
        decodedPixels = metrics.histogram(MetricNames.DECODED_PIXELS);
        // Registered up front so that every kind shows (as 0) before it first happens: a rate of a
        // series that appears only with its first failure is invisible to Prometheus' rate().
        for (ImageProcessingException.Kind kind : ImageProcessingException.Kind.values()) {
            failed.put(kind, metrics.meter(MetricNames.failed(kind)));
            prometheus.failed.labels(kind.name());
        }
        for (StageListener.Stage stage : StageListener.Stage.values()) {
            prometheus.stageSeconds.labels(stageLabel(stage));
        }
    }

    private static String stageLabel(StageListener.Stage stage) {
        return stage == StageListener.Stage.OPERATION ? "transform" : stage.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public CompletableFuture<ProcessedImage> processAsync(EncodedImage input, ProcessingOptions options,
            RequestContext context) {
        countInput(input);
        Timer.Context call = process.time();
        long start = System.nanoTime();
        CompletableFuture<ProcessedImage> result = delegate.processAsync(input, options, context.withStageListener(stages));
        // The caller sees the result only once it is counted (dependents of one future run in no
        // set order); cancelling what the caller holds cancels the work.
        CompletableFuture<ProcessedImage> counted = result.whenComplete((image, failure) -> {
            call.stop();
            prometheus.processSeconds.observe((System.nanoTime() - start) / 1e9);
            if (failure == null) {
                recordStages(image);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                countFailure(cause instanceof ImageProcessingException e ? e.kind()
                        : cause instanceof CancellationException ? ImageProcessingException.Kind.CANCELLED
                        : ImageProcessingException.Kind.INTERNAL);
            }
        });
        counted.whenComplete((image, failure) -> {
            if (counted.isCancelled() && !result.cancel(false)) {
                result.thenAccept(ProcessedImage::release); // done just before: nobody will write it
            }
        });
        return counted;
    }

    @Override
    public ProcessedImage process(EncodedImage input, RequestContext context) {
        return process(input, ProcessingOptions.DEFAULT, context);
    }

    @Override
    public ProcessedImage process(EncodedImage input, ProcessingOptions options, RequestContext context) {
        countInput(input);
        Timer.Context call = process.time();
        long start = System.nanoTime();
        try {
            ProcessedImage result = delegate.process(input, options, context.withStageListener(stages));
            recordStages(result);
            return result;
        } catch (ImageProcessingException e) {
            countFailure(e.kind());
            throw e;
        } catch (RuntimeException e) {
            // Not a refusal but a bug; the transport reports it as an internal error, so count it so.
            countFailure(ImageProcessingException.Kind.INTERNAL);
            throw e;
        } finally {
            call.stop();
            prometheus.processSeconds.observe((System.nanoTime() - start) / 1e9);
        }
    }

    private void countInput(EncodedImage input) {
        int size = input == null ? 0 : input.size();
        inputBytes.update(size);
        prometheus.inputBytes.observe(size);
    }

    private void countFailure(ImageProcessingException.Kind kind) {
        failed.get(kind).mark();
        prometheus.failed.labels(kind.name()).inc();
    }

    private void recordStages(ProcessedImage result) {
        decode.update(result.decodeNanos(), TimeUnit.NANOSECONDS);
        transform.update(result.transformNanos(), TimeUnit.NANOSECONDS);
        encode.update(result.encodeNanos(), TimeUnit.NANOSECONDS);
        outputBytes.update(result.outputLength());
        decodedPixels.update(result.decoded().pixels());
        operationTimers.record(result.operations());
        prometheus.outputBytes.observe(result.outputLength());
        prometheus.decodedPixels.observe(result.decoded().pixels());
    }
}
