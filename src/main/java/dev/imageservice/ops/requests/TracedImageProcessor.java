package dev.imageservice.ops.requests;

import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.RequestContext;
import dev.imageservice.processing.StageListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Adds the image's side of a request to its trace: a child span of the request's server span for
 * each stage (queue wait, decode, each operation, encode), timed by the processor, and the sizes
 * and format as attributes of the server span. The spans are made from the stage times the
 * processor reports and from the trace context captured when the call began, so they land in the
 * right trace whichever thread runs a stage. When the request is not being recorded (tracing off,
 * or not sampled) it passes straight through.
 */
public final class TracedImageProcessor implements ImageProcessor {
    private final ImageProcessor delegate;
    private final Tracer tracer;

    public TracedImageProcessor(ImageProcessor delegate, Tracing tracing) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.tracer = tracing.tracer();
    }

    @Override
    public ProcessedImage process(EncodedImage input, RequestContext context) {
        return process(input, ProcessingOptions.DEFAULT, context);
    }

    @Override
    public ProcessedImage process(EncodedImage input, ProcessingOptions options, RequestContext context) {
        Span request = Span.fromContext(Context.current());
        if (!request.isRecording()) {
            return delegate.process(input, options, context);
        }
        try {
            ProcessedImage result = delegate.process(input, options, traced(input, context, request));
            succeeded(request, result);
            return result;
        } catch (RuntimeException e) {
            failed(request, e);
            throw e;
        }
    }

    @Override
    public CompletableFuture<ProcessedImage> processAsync(EncodedImage input, ProcessingOptions options,
            RequestContext context) {
        Span request = Span.fromContext(Context.current());
        if (!request.isRecording()) {
            return delegate.processAsync(input, options, context);
        }
        CompletableFuture<ProcessedImage> result = delegate.processAsync(input, options, traced(input, context, request));
        result.whenComplete((image, failure) -> {
            if (failure == null) {
                succeeded(request, image);
            } else {
                failed(request, failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
        return result;
    }

    /** The context whose stage ends become child spans of {@code request}, in the trace current now. */
    private RequestContext traced(EncodedImage input, RequestContext context, Span request) {
        Context trace = Context.current();
        request.setAttribute("image.input.bytes", input == null ? 0 : input.size());
        Instant now = Instant.now();
        long epochMinusNano = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano() - System.nanoTime();
        StageListener spans = (stage, name, startNanos, endNanos) -> {
            Span span = tracer.spanBuilder(stage == StageListener.Stage.OPERATION ? "operation " + name
                            : stage.name().toLowerCase(Locale.ROOT))
                    .setParent(trace)
                    .setStartTimestamp(startNanos + epochMinusNano, TimeUnit.NANOSECONDS)
                    .startSpan();
            if (stage == StageListener.Stage.OPERATION) {
                span.setAttribute("image.operation", name);
            }
            span.end(endNanos + epochMinusNano, TimeUnit.NANOSECONDS);
        };
        return context.withStageListener(spans);
    }

    private static void succeeded(Span request, ProcessedImage result) {
        request.setAttribute("image.input.format", result.inputFormat().displayName());
        request.setAttribute("image.width", result.info().width());
        request.setAttribute("image.height", result.info().height());
        request.setAttribute("image.output.bytes", result.outputLength());
        request.setAttribute("image.output.content_type", result.contentType());
    }

    private static void failed(Span request, Throwable failure) {
        if (failure instanceof ImageProcessingException e) {
            request.setAttribute("image.error.kind", e.kind().name());
            if (e.kind() == ImageProcessingException.Kind.INTERNAL) {
                request.recordException(e);
                request.setStatus(StatusCode.ERROR, e.getMessage());
            }
            return;
        }
        request.setAttribute("image.error.kind", ImageProcessingException.Kind.INTERNAL.name());
        request.recordException(failure);
        request.setStatus(StatusCode.ERROR);
    }
}
