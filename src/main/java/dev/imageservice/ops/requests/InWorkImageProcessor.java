package dev.imageservice.ops.requests;

import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.RequestContext;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.MDC;

/**
 * Tells {@link RequestsInWork} when each request (by the id in the logging MDC of the transport's
 * thread) is in image work: from the end of its admission wait to its result. Requests without an
 * id (tools, the health check's probe) pass straight through.
 */
public final class InWorkImageProcessor implements ImageProcessor {
    private final ImageProcessor delegate;
    private final RequestsInWork registry;

    public InWorkImageProcessor(ImageProcessor delegate, RequestsInWork registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public ProcessedImage process(EncodedImage input, RequestContext context) {
        return process(input, ProcessingOptions.DEFAULT, context);
    }

    @Override
    public ProcessedImage process(EncodedImage input, ProcessingOptions options, RequestContext context) {
        String id = MDC.get(RequestIds.MDC_REQUEST_ID);
        if (id == null) {
            return delegate.process(input, options, context);
        }
        RequestsInWork.Visit visit = registry.visit(id);
        try {
            return delegate.process(input, options, context.withStageListener(visit));
        } finally {
            visit.left();
        }
    }

    @Override
    public CompletableFuture<ProcessedImage> processAsync(EncodedImage input, ProcessingOptions options,
            RequestContext context) {
        String id = MDC.get(RequestIds.MDC_REQUEST_ID);
        if (id == null) {
            return delegate.processAsync(input, options, context);
        }
        RequestsInWork.Visit visit = registry.visit(id);
        CompletableFuture<ProcessedImage> result = delegate.processAsync(input, options, context.withStageListener(visit));
        result.whenComplete((image, failure) -> visit.left());
        return result;
    }
}
