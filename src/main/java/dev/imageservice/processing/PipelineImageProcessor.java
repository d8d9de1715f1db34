package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageHeader;
import java.util.Objects;
import java.util.Optional;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Check, admit, decode, apply one operation, encode. The cheap checks (byte size, format, header
 * dimensions) run before the request waits for admission, so a request that would be refused
 * anyway never occupies a slot, and nothing is decoded before its pixel count is known to be
 * acceptable. Every native Mat is released before {@link #process} returns, whatever happens, so
 * native memory never waits for the garbage collector.
 */
public final class PipelineImageProcessor implements ImageProcessor {
    private final Limits limits;
    private final AdmissionController admission;
    private final ImageDecoder decoder;
    private final ImageOperation operation;
    private final ImageEncoder encoder;

    public PipelineImageProcessor(Limits limits, AdmissionController admission, ImageDecoder decoder,
            ImageOperation operation, ImageEncoder encoder) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(encoder, "encoder");
        // An encoder that can do the operation as it writes (the PNG encoder swaps channels by
        // reading the Mat's bytes in another order) saves a pass over the pixels and a native Mat.
        Optional<ImageEncoder> absorbing = encoder.absorb(operation);
        this.operation = absorbing.isPresent() ? new DoneByEncoder(operation.name()) : operation;
        this.encoder = absorbing.orElse(encoder);
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
        int size = input == null ? 0 : input.size();
        if (size == 0) {
            throw ImageProcessingException.invalid("the image is empty (0 bytes)");
        }
        if (size > limits.maxInputBytes()) {
            throw new ImageProcessingException(ImageProcessingException.Kind.TOO_MANY_BYTES,
                    "the image is " + Limits.bytes(size) + "; the limit is " + Limits.bytes(limits.maxInputBytes()));
        }
        ImageHeader header = HeaderChecks.check(input, limits);
        long expectedPixels = header.pixels();
        context.checkStillWanted();

        long queuedAt = System.nanoTime();
        try (AdmissionController.Permit permit = admission.admit(expectedPixels, context)) {
            context.stages().stageEnded(StageListener.Stage.QUEUE, "queue", queuedAt, System.nanoTime());
            context.checkStillWanted();
            return decodeTransformEncode(input.bytes(), header, context.stages());
        } catch (OutOfMemoryError e) {
            // One image's buffers did not fit the heap: refuse this one, the process stays healthy
            // (the failed allocation is not kept) and the next request may well fit.
            throw new ImageProcessingException(ImageProcessingException.Kind.OVERLOADED,
                    "not enough memory for this image right now; try again later", e);
        }
    }

    private ProcessedImage decodeTransformEncode(byte[] input, ImageHeader header, StageListener stages) {
        Mat decoded = null;
        Mat transformed = null;
        try {
            long start = System.nanoTime();
            decoded = decoder.decode(input, header);
            HeaderChecks.checkPixels(decoded.cols(), decoded.rows(), limits); // in case the header lied
            ImageInfo info = new ImageInfo(decoded.cols(), decoded.rows(), decoded.channels(),
                    CvType.depth(decoded.type()) == CvType.CV_16U ? 16 : 8);
            long decodedAt = System.nanoTime();
            stages.stageEnded(StageListener.Stage.DECODE, "decode", start, decodedAt);
            transformed = operation.apply(decoded);
            long transformedAt = System.nanoTime();
            stages.stageEnded(StageListener.Stage.OPERATION, operation.name(), decodedAt, transformedAt);
            byte[] output = encoder.encode(transformed);
            long encodedAt = System.nanoTime();
            stages.stageEnded(StageListener.Stage.ENCODE, "encode", transformedAt, encodedAt);
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
