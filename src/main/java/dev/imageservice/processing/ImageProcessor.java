package dev.imageservice.processing;

import java.util.concurrent.CompletableFuture;

/**
 * The one image processor that every transport (gRPC, HTTP, the upload page) calls. It knows
 * nothing of transports: bytes in, a {@link ProcessedImage} or an {@link ImageProcessingException} out.
 */
public interface ImageProcessor {

    /**
     * Processes one encoded image for a caller described by {@code context}.
     *
     * @throws ImageProcessingException when the input is refused or processing fails
     */
    ProcessedImage process(EncodedImage input, RequestContext context);

    /**
     * Processes one encoded image with the given operations and output format. Processors that
     * know only the default processing accept only {@link ProcessingOptions#DEFAULT}-like options.
     *
     * @throws ImageProcessingException when the input or the options are refused, or processing fails
     */
    default ProcessedImage process(EncodedImage input, ProcessingOptions options, RequestContext context) {
        if (!options.isDefault()) {
            throw ImageProcessingException.invalidOptions("this processor supports no operations or output formats");
        }
        return process(input, context);
    }

    /**
     * Processes one encoded image without holding the calling thread while the request waits for
     * admission. The future fails with an {@link ImageProcessingException} when the input is refused
     * (or with another exception on a bug); cancelling it gives up the request. The caller must
     * {@link ProcessedImage#release()} the result once its output is written.
     */
    default CompletableFuture<ProcessedImage> processAsync(EncodedImage input, ProcessingOptions options,
            RequestContext context) {
        try {
            return CompletableFuture.completedFuture(process(input, options, context));
        } catch (RuntimeException | OutOfMemoryError e) {
            return CompletableFuture.failedFuture(e); // each transport maps it, in its one place
        }
    }

    /** {@link #processAsync(EncodedImage, ProcessingOptions, RequestContext)} with the default processing. */
    default CompletableFuture<ProcessedImage> processAsync(EncodedImage input, RequestContext context) {
        return processAsync(input, ProcessingOptions.DEFAULT, context);
    }

    /** Processes one encoded image held in an array. */
    default ProcessedImage process(byte[] input, RequestContext context) {
        return process(EncodedImage.of(input), context);
    }

    /** Processes one encoded image for a caller without a deadline. */
    default ProcessedImage process(byte[] input) {
        return process(EncodedImage.of(input), RequestContext.NONE);
    }
}
