package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.processing.format.ImageHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Check, plan, admit, decode, apply the request's operations, encode. The cheap checks (byte size,
 * format, header dimensions, the operations against those dimensions) run before the request waits
 * for admission, so a request that would be refused anyway never occupies a slot, and nothing is
 * decoded before its pixel count (and that of every intermediate result) is known to be
 * acceptable. Every native Mat is released before {@link #process} returns, whatever happens, so
 * native memory never waits for the garbage collector.
 */
public final class PipelineImageProcessor implements ImageProcessor {
    /** Enough of the file for every header we read (JPEG metadata before the frame included, mostly). */
    private static final int HEAD_BYTES = 256 * 1024;

    private final Limits limits;
    private final AdmissionController admission;
    private final ImageDecoder decoder;
    private final List<ImageOperation> defaultOperations;
    private final ImageEncoder pngEncoder;

    /**
     * @param operation  what a request without operations gets (the channel swap)
     * @param pngEncoder the PNG encoder; JPEG and WebP are written by {@link OpenCvLossyEncoder}
     */
    public PipelineImageProcessor(Limits limits, AdmissionController admission, ImageDecoder decoder,
            ImageOperation operation, ImageEncoder pngEncoder) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.defaultOperations = List.of(Objects.requireNonNull(operation, "operation"));
        this.pngEncoder = Objects.requireNonNull(pngEncoder, "pngEncoder");
    }

    /** The default pipeline on the fast codecs: decode, channel swap, PNG. Loads OpenCV if needed. */
    public static PipelineImageProcessor channelSwapToPng(Limits limits) {
        return channelSwapToPng(limits, Codecs.FAST);
    }

    /** Decode, channel swap, PNG, on the given codecs. Loads OpenCV if needed. */
    public static PipelineImageProcessor channelSwapToPng(Limits limits, Codecs codecs) {
        OpenCvLibrary.load();
        return new PipelineImageProcessor(limits, new AdmissionController(limits), codecs.decoder(),
                new SwapChannels(), codecs.pngEncoder());
    }

    public Limits limits() {
        return limits;
    }

    public AdmissionController admission() {
        return admission;
    }

    @Override
    public ProcessedImage process(EncodedImage input, RequestContext context) {
        return process(input, ProcessingOptions.DEFAULT, context);
    }

    @Override
    public ProcessedImage process(EncodedImage input, ProcessingOptions options, RequestContext context) {
        Objects.requireNonNull(options, "options");
        int size = input == null ? 0 : input.size();
        if (size == 0) {
            throw ImageProcessingException.invalid("the image is empty (0 bytes)");
        }
        if (size > limits.maxInputBytes()) {
            throw new ImageProcessingException(ImageProcessingException.Kind.TOO_MANY_BYTES,
                    "the image is " + Limits.bytes(size) + "; the limit is " + Limits.bytes(limits.maxInputBytes()));
        }
        ImageHeader header = HeaderChecks.check(input, limits);
        Source source = new Source(input, input.head(HEAD_BYTES), header);
        // Planned on the header's dimensions before waiting: bad options are refused at once, and
        // admission counts the largest image any step holds.
        OperationPlan plan = plan(options, new Dimensions(header.width(), header.height()), source, true);
        long expectedPixels = plan.peakPixels;
        context.checkStillWanted();

        long queuedAt = System.nanoTime();
        try (AdmissionController.Permit permit = admission.admit(expectedPixels, context)) {
            context.stages().stageEnded(StageListener.Stage.QUEUE, "queue", queuedAt, System.nanoTime());
            context.checkStillWanted();
            return decodeTransformEncode(source, options, plan, context.stages());
        } catch (OutOfMemoryError e) {
            // One image's buffers did not fit the heap: refuse this one, the process stays healthy
            // (the failed allocation is not kept) and the next request may well fit.
            throw new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                    "not enough memory for this image right now; try again later", e);
        }
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
            byte[] output = plan.encoder.encode(current);
            long encodedAt = System.nanoTime();
            stages.stageEnded(StageListener.Stage.ENCODE, "encode", transformedAt, encodedAt);
            return new ProcessedImage(output, plan.encoder.contentType(), source.header.format(), info(current), input.length,
                    decodedAt - start, transformedAt - decodedAt, encodedAt - transformedAt, decodedInfo, times);
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
        private byte[] bytes;
        private int orientation;

        Source(EncodedImage input, byte[] head, ImageHeader header) {
            this.input = input;
            this.head = head;
            this.header = header;
            this.format = header.format();
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
