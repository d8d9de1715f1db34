package dev.imageservice.processing;

import dev.imageservice.processing.codec.Codecs;
import dev.imageservice.processing.codec.ImageDecoder;
import dev.imageservice.processing.codec.ImageEncoder;
import dev.imageservice.processing.codec.OpenCvLossyEncoder;
import dev.imageservice.processing.codec.ShrinkOnLoad;
import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.processing.format.ImageHeader;
import dev.imageservice.processing.operation.SwapChannels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Check, plan, admit, decode, apply the request's operations, encode. The cheap checks (byte size,
 * format, header dimensions, the operations against those dimensions) run before the request waits
 * for admission, so a request that would be refused anyway never occupies a slot, and nothing is
 * decoded before its pixel count (and that of every intermediate result) is known to be
 * acceptable. Waiting holds no thread: the request is an entry of the admission queue, and its work
 * runs on the worker executor once admitted. Every native Mat is released before the work ends,
 * whatever happens, so native memory never waits for the garbage collector.
 */
public final class PipelineImageProcessor implements ImageProcessor {
    /** Enough of the file for every header we read (JPEG metadata before the frame included, mostly). */
    private static final int HEAD_BYTES = 256 * 1024;

    private final Limits limits;
    private final AdmissionController admission;
    private final Executor workers;
    private final ImageDecoder decoder;
    private final List<ImageOperation> defaultOperations;
    private final ImageEncoder pngEncoder;

    /**
     * @param operation  what a request without operations gets (the channel swap)
     * @param pngEncoder the PNG encoder; JPEG and WebP are written by {@link OpenCvLossyEncoder}
     * @param workers    runs the admitted work (decode, operations, encode); admission lets at most
     *                   {@code limits.maxConcurrent} run at once, so it needs no more threads than that
     */
    public PipelineImageProcessor(Limits limits, AdmissionController admission, Executor workers, ImageDecoder decoder,
            ImageOperation operation, ImageEncoder pngEncoder) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.defaultOperations = List.of(Objects.requireNonNull(operation, "operation"));
        this.pngEncoder = Objects.requireNonNull(pngEncoder, "pngEncoder");
    }

    /** The default pipeline on the fast codecs: decode, channel swap, PNG. Loads OpenCV if needed. */
    public static PipelineImageProcessor channelSwapToPng(Limits limits) {
        return channelSwapToPng(limits, Codecs.FAST);
    }

    /** A pipeline with its own admission, working on the common pool (tools and tests). */
    public PipelineImageProcessor(Limits limits, ImageDecoder decoder, ImageOperation operation, ImageEncoder pngEncoder) {
        this(limits, new AdmissionController(limits), ForkJoinPool.commonPool(), decoder, operation, pngEncoder);
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
                codecs.pngEncoder(new IdleWorkers(admission, limits.maxConcurrent(), workers)));
    }

    public AdmissionController admission() {
        return admission;
    }

    /**
     * Waits (blocking this thread) for the result. For callers that write the output nowhere the
     * budget would follow (tools, the health check): its output counts against nothing once returned.
     */
    @Override
    public ProcessedImage process(EncodedImage input, ProcessingOptions options, RequestContext context) {
        try {
            ProcessedImage result = processAsync(input, options, context).join();
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
    public ProcessedImage process(EncodedImage input, RequestContext context) {
        return process(input, ProcessingOptions.DEFAULT, context);
    }

    @Override
    public CompletableFuture<ProcessedImage> processAsync(EncodedImage input, ProcessingOptions options,
            RequestContext context) {
        Source source;
        OperationPlan plan;
        try {
            Objects.requireNonNull(options, "options");
            ImageHeader header = check(input);
            source = new Source(input, input.head(HEAD_BYTES), header);
            // Planned on the header's dimensions before waiting: bad options are refused at once, and
            // admission counts the largest image any step holds.
            plan = plan(options, new Dimensions(header.width(), header.height()), source, true);
            context.checkStillWanted();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long queuedAt = System.nanoTime();
        // What the transport has not read yet is read on admission, so it counts in the work.
        int held = input.heldBytes();
        CompletableFuture<AdmissionController.Permit> turn = admission.admit(
                workBytes(plan, source.header, input.size()) + (input.size() - held), held, context);
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
            context.stages().stageEnded(StageListener.Stage.QUEUE, "queue", queuedAt, System.nanoTime());
            input.admitted();
            try {
                workers.execute(() -> work(permit, source, options, plan, context, result));
            } catch (RejectedExecutionException e) {
                permit.close();
                result.completeExceptionally(new ImageProcessingException(ImageProcessingException.Kind.SHUTTING_DOWN,
                        "the service is shutting down; try another instance or again later"));
            }
        });
        return result;
    }

    private void work(AdmissionController.Permit permit, Source source, ProcessingOptions options, OperationPlan plan,
            RequestContext context, CompletableFuture<ProcessedImage> result) {
        try {
            if (result.isDone()) {
                permit.close(); // cancelled while it waited for a worker
                return;
            }
            context.checkStillWanted();
            ProcessedImage image = decodeTransformEncode(source, options, plan, context.stages());
            AdmissionController.Lease output = permit.keepOnly(image.outputLength());
            if (!result.complete(image.withAnswer(output))) {
                output.close();
                image.encoded().recycle(); // cancelled meanwhile: no transport has seen the answer
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

    /**
     * What the image's work holds beyond what its worker keeps anyway: when the pixels are decoded
     * into the worker's kept memory and encoded straight from there into the encoder's kept buffer
     * (no operation step, no shrink-on-load), only what the image adds ({@link Limits#ownWorkBytes});
     * otherwise all of it ({@link Limits#workBytes}).
     */
    private long workBytes(OperationPlan plan, ImageHeader header, int inputBytes) {
        boolean onKeptBuffers = plan.steps.isEmpty() && plan.shrinkFactor == 1 && decoder.decodesIntoKeptMemory(header)
                && plan.encoder.encodesInKeptBuffer(header.width(), header.height(), 3);
        return onKeptBuffers ? Limits.ownWorkBytes(plan.peakPixels, inputBytes) : Limits.workBytes(plan.peakPixels, inputBytes);
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

    private OperationPlan plan(ProcessingOptions options, Dimensions dimensions, Source source, boolean beforeDecode) {
        List<ImageOperation> operations = options.operations().isEmpty() ? defaultOperations : options.operations();
        return OperationPlan.of(operations, dimensions, source.header.format(), source::exifOrientation, encoderFor(options),
                options.format(), limits.maxPixels(), beforeDecode);
    }

    private ImageEncoder encoderFor(ProcessingOptions options) {
        return options.format() == OutputFormat.PNG ? pngEncoder
                : new OpenCvLossyEncoder(options.format(), options.effectiveQuality());
    }

    private ProcessedImage decodeTransformEncode(Source source, ProcessingOptions options, OperationPlan planned,
            StageListener stages) {
        Mat decoded = null;
        Mat current = null;
        try {
            long start = System.nanoTime();
            byte[] input = source.bytes();
            if (source.partlyUnread) {
                HeaderChecks.check(EncodedImage.of(input), limits); // now with its end (a cut-off JPEG)
            }
            if (planned.shrinkFactor > 1) {
                decoded = ShrinkOnLoad.decode(input, planned.shrinkFactor);
            }
            if (decoded == null) {
                decoded = decoder.decode(input, source.header);
            }
            HeaderChecks.checkPixels(decoded.cols(), decoded.rows(), limits); // in case the header lied
            ImageInfo decodedInfo = info(decoded);
            OperationPlan plan = planned;
            if (planned.shrinkFactor == 1
                    && (decoded.cols() != source.header.width() || decoded.rows() != source.header.height())) {
                // The header lied about the size: plan again on the real one (and refuse what no longer fits).
                plan = plan(options, new Dimensions(decoded.cols(), decoded.rows()), source, false);
            }
            long decodedAt = System.nanoTime();
            stages.stageEnded(StageListener.Stage.DECODE, "decode", start, decodedAt);
            current = decoded;
            List<OperationTime> times = new ArrayList<>(plan.steps.size());
            for (ImageOperation step : plan.steps) {
                long stepStart = System.nanoTime();
                Mat next = step.apply(current);
                if (next != current && current != decoded) {
                    current.release();
                }
                current = next;
                long stepEnd = System.nanoTime();
                times.add(new OperationTime(step.name(), stepEnd - stepStart));
                stages.stageEnded(StageListener.Stage.OPERATION, step.name(), stepStart, stepEnd);
            }
            long transformedAt = System.nanoTime();
            for (String absorbed : plan.doneByEncoder) {
                // Done by the encoder as it writes: reported (taking no time of its own) so that every
                // requested operation shows in the stage metrics and traces.
                stages.stageEnded(StageListener.Stage.OPERATION, absorbed, transformedAt, transformedAt);
            }
            // Into pieces of one heap region each, from the encoder's reused buffer: no humongous arrays.
            OutputPieces.Collector output = new OutputPieces.Collector();
            try {
                plan.encoder.encodeInto(current, output);
            } catch (RuntimeException | Error e) {
                output.discard(); // its region arrays go back to the pool
                throw e;
            }
            long encodedAt = System.nanoTime();
            stages.stageEnded(StageListener.Stage.ENCODE, "encode", transformedAt, encodedAt);
            return new ProcessedImage(output.build(), plan.encoder.contentType(), source.header.format(), info(current),
                    input.length, decodedAt - start, transformedAt - decodedAt, encodedAt - transformedAt, decodedInfo, times,
                    () -> { });
        } finally {
            if (current != null && current != decoded) {
                current.release();
            }
            if (decoded != null) {
                decoded.release();
            }
        }
    }

    private static ImageInfo info(Mat image) {
        return new ImageInfo(image.cols(), image.rows(), image.channels(),
                CvType.depth(image.type()) == CvType.CV_16U ? 16 : 8);
    }

    /**
     * The image being processed: its bytes taken from the transport once (when the EXIF orientation
     * needs the whole file before admission, or at decode), its orientation read once if asked for.
     */
    private static final class Source {
        final EncodedImage input;
        final byte[] head;
        final ImageHeader header;
        final ImageFormat format;
        /** Part of the image was still with the transport when its header was checked. */
        final boolean partlyUnread;
        private byte[] bytes;
        private int orientation;

        Source(EncodedImage input, byte[] head, ImageHeader header) {
            this.input = input;
            this.head = head;
            this.header = header;
            this.format = header.format();
            this.partlyUnread = input.heldBytes() < input.size();
        }

        byte[] bytes() {
            if (bytes == null) {
                bytes = head.length == input.size() ? head : input.bytes();
            }
            return bytes;
        }

        int exifOrientation() {
            if (orientation == 0 && format == ImageFormat.JPEG && bytes == null) {
                // A JPEG keeps its EXIF before the pixels: the head is enough, no copy while waiting.
                orientation = ExifOrientation.read(head, format);
            }
            if (orientation == 0) {
                orientation = ExifOrientation.of(bytes(), format);
            }
            return orientation;
        }
    }
}
