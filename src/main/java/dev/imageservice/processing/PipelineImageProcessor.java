package dev.imageservice.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
        byte[] head = input.head(HEAD_BYTES);
        ImageFormat format = ImageFormat.sniff(head);
        if (!format.readable()) {
            throw ImageProcessingException.unsupported("unsupported image format: " + format.displayName());
        }
        if (format == ImageFormat.UNKNOWN) {
            // Nothing to read its dimensions from, so it is never handed to a decoder: a file
            // without a recognised header could otherwise ask OpenCV for gigabytes of pixels.
            throw ImageProcessingException.invalid("could not decode the image: not a recognised image format");
        }
        Optional<ImageHeader> header = readHeader(input, head, format);
        header.ifPresent(h -> checkPixels(h.width(), h.height()));
        Completeness.check(head, input.tail(Completeness.TAIL_BYTES), size, format);
        Source source = new Source(input, head, format);
        // Planned on the header's dimensions before waiting, so bad options are refused at once;
        // without a header (rare formats) once the image is decoded.
        OperationPlan plan = header.map(h -> plan(options, new Dimensions(h.width(), h.height()), source, true))
                .orElse(null);
        long expectedPixels = plan != null ? plan.peakPixels : limits.maxPixels(); // unknown: the largest allowed
        context.checkStillWanted();

        try (AdmissionController.Permit permit = admission.admit(expectedPixels, context)) {
            context.checkStillWanted();
            return decodeTransformEncode(source, options, plan);
        } catch (OutOfMemoryError e) {
            // One image's buffers did not fit the heap: refuse this one, the process stays healthy
            // (the failed allocation is not kept) and the next request may well fit.
            throw new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                    "not enough memory for this image right now; try again later", e);
        }
    }

    /**
     * Dimensions from the head of the file; from the whole file when the head is not enough (a TIFF
     * keeps its directory anywhere, a JPEG may carry more metadata before its frame header).
     */
    private static java.util.Optional<ImageHeader> readHeader(EncodedImage input, byte[] head, ImageFormat format) {
        boolean whole = head.length == input.size();
        if (!whole && format == ImageFormat.TIFF) {
            return ImageHeader.read(input.bytes(), format);
        }
        try {
            return ImageHeader.read(head, format);
        } catch (ImageProcessingException e) {
            if (whole) {
                throw e;
            }
            return ImageHeader.read(input.bytes(), format);
        }
    }

    private long checkPixels(int width, int height) {
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageProcessingException(ImageProcessingException.Kind.TOO_MANY_PIXELS,
                    "the image is " + width + "x" + height + " = " + Limits.megapixels(pixels)
                            + "; the limit is " + Limits.megapixels(limits.maxPixels()));
        }
        return pixels;
    }

    private OperationPlan plan(ProcessingOptions options, Dimensions dimensions, Source source, boolean beforeDecode) {
        List<ImageOperation> operations = options.operations().isEmpty() ? defaultOperations : options.operations();
        return OperationPlan.of(operations, dimensions, source.format, source::exifOrientation, encoderFor(options),
                options.format(), limits.maxPixels(), beforeDecode);
    }

    private ImageEncoder encoderFor(ProcessingOptions options) {
        return options.format() == OutputFormat.PNG ? pngEncoder
                : new OpenCvLossyEncoder(options.format(), options.effectiveQuality());
    }

    private ProcessedImage decodeTransformEncode(Source source, ProcessingOptions options, OperationPlan planned) {
        Mat decoded = null;
        Mat current = null;
        try {
            long start = System.nanoTime();
            byte[] input = source.bytes();
            if (planned != null && planned.shrinkFactor > 1) {
                decoded = ShrinkOnLoad.decode(input, planned.shrinkFactor);
            }
            if (decoded == null) {
                decoded = decoder.decode(input, source.format);
            }
            checkPixels(decoded.cols(), decoded.rows()); // for formats whose header we do not parse
            ImageInfo decodedInfo = info(decoded);
            OperationPlan plan = planned != null ? planned
                    : plan(options, new Dimensions(decoded.cols(), decoded.rows()), source, false);
            long decodedAt = System.nanoTime();
            current = decoded;
            List<OperationTime> times = new ArrayList<>(plan.steps.size());
            for (ImageOperation step : plan.steps) {
                long stepStart = System.nanoTime();
                Mat next = step.apply(current);
                if (next != current && current != decoded) {
                    current.release();
                }
                current = next;
                times.add(new OperationTime(step.name(), System.nanoTime() - stepStart));
            }
            long transformedAt = System.nanoTime();
            byte[] output = plan.encoder.encode(current);
            long encodedAt = System.nanoTime();
            return new ProcessedImage(output, plan.encoder.contentType(), source.format, info(current), input.length,
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
        final ImageFormat format;
        private byte[] bytes;
        private int orientation;

        Source(EncodedImage input, byte[] head, ImageFormat format) {
            this.input = input;
            this.head = head;
            this.format = format;
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
