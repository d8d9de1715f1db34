package dev.imageservice.ops;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.RequestContext;
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
    private final Map<ImageProcessingException.Kind, Meter> failed = new EnumMap<>(ImageProcessingException.Kind.class);

    public MeteredImageProcessor(ImageProcessor delegate, MetricRegistry metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
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
        }
    }

    @Override
    public CompletableFuture<ProcessedImage> processAsync(EncodedImage input, RequestContext context) {
        inputBytes.update(input == null ? 0 : input.size());
        Timer.Context call = process.time();
        CompletableFuture<ProcessedImage> result = delegate.processAsync(input, context);
        result.whenComplete((image, failure) -> {
            call.stop();
            if (failure == null) {
                recordStages(image);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                failed.get(cause instanceof ImageProcessingException e ? e.kind()
                        : cause instanceof CancellationException ? ImageProcessingException.Kind.CANCELLED
                        : ImageProcessingException.Kind.INTERNAL).mark();
            }
        });
        return result;
    }

    private void recordStages(ProcessedImage result) {
        decode.update(result.decodeNanos(), TimeUnit.NANOSECONDS);
        transform.update(result.transformNanos(), TimeUnit.NANOSECONDS);
        encode.update(result.encodeNanos(), TimeUnit.NANOSECONDS);
        outputBytes.update(result.output().length);
        decodedPixels.update(result.info().pixels());
    }

    @Override
    public ProcessedImage process(EncodedImage input, RequestContext context) {
        inputBytes.update(input == null ? 0 : input.size());
        Timer.Context call = process.time();
        try {
            ProcessedImage result = delegate.process(input, context);
            recordStages(result);
            return result;
        } catch (ImageProcessingException e) {
            failed.get(e.kind()).mark();
            throw e;
        } catch (RuntimeException e) {
            // Not a refusal but a bug; the transport reports it as an internal error, so count it so.
            failed.get(ImageProcessingException.Kind.INTERNAL).mark();
            throw e;
        } finally {
            call.stop();
        }
    }
}
