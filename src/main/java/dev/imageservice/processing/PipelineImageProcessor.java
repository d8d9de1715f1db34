package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageHeader;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Check, admit, decode, apply one operation, encode. The cheap checks (byte size, format, header
 * dimensions) run before the request waits for admission, so a request that would be refused
 * anyway never occupies a slot, and nothing is decoded before its pixel count is known to be
 * acceptable. Waiting holds no thread: the request is an entry of the admission queue, and its
 * work runs on the worker executor once admitted. Every native Mat is released before the work
 * ends, whatever happens, so native memory never waits for the garbage collector.
 */
public final class PipelineImageProcessor implements ImageProcessor {
    private final Limits limits;
    private final AdmissionController admission;
    private final Executor workers;
    private final ImageDecoder decoder;
    private final ImageOperation operation;
    private final ImageEncoder encoder;

    /**
     * @param workers runs the admitted work (decode, transform, encode); admission lets at most
     *                {@code limits.maxConcurrent} run at once, so it needs no more threads than that
     */
    public PipelineImageProcessor(Limits limits, AdmissionController admission, Executor workers, ImageDecoder decoder,
            ImageOperation operation, ImageEncoder encoder) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(encoder, "encoder");
        // An encoder that can do the operation as it writes (the PNG encoder swaps channels by
        // reading the Mat's bytes in another order) saves a pass over the pixels and a native Mat.
        Optional<ImageEncoder> absorbing = encoder.absorb(operation);
        this.operation = absorbing.isPresent() ? new DoneByEncoder(operation.name()) : operation;
        this.encoder = absorbing.orElse(encoder);
    }

    /** A pipeline with its own admission, working on the common pool (tools and tests). */
    public PipelineImageProcessor(Limits limits, ImageDecoder decoder, ImageOperation operation, ImageEncoder encoder) {
        this(limits, new AdmissionController(limits), ForkJoinPool.commonPool(), decoder, operation, encoder);
    }

    /** The default pipeline on the fast codecs: decode, channel swap, PNG. Loads OpenCV if needed. */
    public static PipelineImageProcessor channelSwapToPng(Limits limits) {
        return channelSwapToPng(limits, Codecs.FAST);
    }

    /** Decode, channel swap, PNG, on the given codecs, with its own admission (tools and tests). */
    public static PipelineImageProcessor channelSwapToPng(Limits limits, Codecs codecs) {
        return channelSwapToPng(limits, codecs, new AdmissionController(limits), ForkJoinPool.commonPool());
    }

    /** Decode, channel swap, PNG, on the given codecs, budget and workers. Loads OpenCV if needed. */
    public static PipelineImageProcessor channelSwapToPng(Limits limits, Codecs codecs, AdmissionController admission,
            Executor workers) {
        OpenCvLibrary.load();
        return new PipelineImageProcessor(limits, admission, workers, codecs.decoder(), new SwapChannels(),
                codecs.pngEncoder());
    }

    public AdmissionController admission() {
        return admission;
    }

    /**
     * Waits (blocking this thread) for the result. For callers that write the output nowhere the
     * budget would follow (tools, the health check): its output counts against nothing once returned.
     */
    @Override
    public ProcessedImage process(EncodedImage input, RequestContext context) {
        try {
            ProcessedImage result = processAsync(input, context).join();
            result.release();
            return result;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public CompletableFuture<ProcessedImage> processAsync(EncodedImage input, RequestContext context) {
        ImageHeader header;
        try {
            header = check(input);
            context.checkStillWanted();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<AdmissionController.Permit> turn = admission.admit(
                Limits.workBytes(header.pixels(), input.size()), input.size(), context);
        CompletableFuture<ProcessedImage> result = new CompletableFuture<>();
        result.whenComplete((image, failure) -> {
            if (result.isCancelled()) {
                turn.cancel(false); // leaves the queue; a permit granted meanwhile is given back
            }
        });
        turn.whenComplete((permit, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
                return;
            }
            try {
                workers.execute(() -> work(permit, input, header, context, result));
            } catch (RejectedExecutionException e) {
                permit.close();
                result.completeExceptionally(new ImageProcessingException(ImageProcessingException.Kind.SHUTTING_DOWN,
                        "the service is shutting down; try another instance or again later"));
            }
        });
        return result;
    }

    private void work(AdmissionController.Permit permit, EncodedImage input, ImageHeader header, RequestContext context,
            CompletableFuture<ProcessedImage> result) {
        try {
            if (result.isDone()) {
                permit.close(); // cancelled while it waited for a worker
                return;
            }
            context.checkStillWanted();
            ProcessedImage image = decodeTransformEncode(input.bytes(), header);
            AdmissionController.Lease output = permit.keepOnly(image.output().length);
            if (!result.complete(image.withRelease(output::close))) {
                output.close();
            }
        } catch (OutOfMemoryError e) {
            // The budget should make this impossible; if the heap is smaller than the budget assumes,
            // this image is refused and the process stays healthy (the failed allocation is not kept).
            permit.close();
            result.completeExceptionally(new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                    "not enough memory for this image right now; try again later", e));
        } catch (RuntimeException e) {
            permit.close();
            result.completeExceptionally(e);
        }
    }

    /** The checks that need no decoding: size, then format and dimensions from the header. */
    private ImageHeader check(EncodedImage input) {
        int size = input == null ? 0 : input.size();
        if (size == 0) {
            throw ImageProcessingException.invalid("the image is empty (0 bytes)");
        }
        if (size > limits.maxInputBytes()) {
            throw new ImageProcessingException(ImageProcessingException.Kind.TOO_MANY_BYTES,
                    "the image is " + Limits.bytes(size) + "; the limit is " + Limits.bytes(limits.maxInputBytes()));
        }
        return HeaderChecks.check(input, limits);
    }

    private ProcessedImage decodeTransformEncode(byte[] input, ImageHeader header) {
        Mat decoded = null;
        Mat transformed = null;
        try {
            long start = System.nanoTime();
            decoded = decoder.decode(input, header);
            HeaderChecks.checkPixels(decoded.cols(), decoded.rows(), limits); // in case the header lied
            ImageInfo info = new ImageInfo(decoded.cols(), decoded.rows(), decoded.channels(),
                    CvType.depth(decoded.type()) == CvType.CV_16U ? 16 : 8);
            long decodedAt = System.nanoTime();
            transformed = operation.apply(decoded);
            long transformedAt = System.nanoTime();
            byte[] output = encoder.encode(transformed);
            long encodedAt = System.nanoTime();
            return new ProcessedImage(output, encoder.contentType(), header.format(), info, input.length,
                    decodedAt - start, transformedAt - decodedAt, encodedAt - transformedAt);
        } finally {
            if (transformed != null && transformed != decoded) {
                transformed.release();
            }
            if (decoded != null) {
                decoded.release();
            }
        }
    }

    /** Stands in for an operation that the encoder absorbed: the pixels pass through unchanged. */
    private record DoneByEncoder(String name) implements ImageOperation {
        @Override
        public Mat apply(Mat source) {
            return source;
        }
    }
}
