package dev.imageservice.processing;

import java.util.Objects;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Decode, apply one operation, encode. Every native Mat is released before {@link #process}
 * returns, whatever happens, so native memory never waits for the garbage collector.
 */
public final class PipelineImageProcessor implements ImageProcessor {
    private final ImageDecoder decoder;
    private final ImageOperation operation;
    private final ImageEncoder encoder;

    public PipelineImageProcessor(ImageDecoder decoder, ImageOperation operation, ImageEncoder encoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** The default pipeline: OpenCV decode, channel swap, PNG. Loads OpenCV if needed. */
    public static PipelineImageProcessor channelSwapToPng() {
        OpenCvLibrary.load();
        return new PipelineImageProcessor(new OpenCvDecoder(), new SwapChannels(), new OpenCvPngEncoder());
    }

    @Override
    public ProcessedImage process(byte[] input) {
        if (input == null || input.length == 0) {
            throw ImageProcessingException.invalid("the image is empty (0 bytes)");
        }
        ImageFormat format = ImageFormat.sniff(input);
        if (!format.readable()) {
            throw ImageProcessingException.unsupported("unsupported image format: " + format.displayName());
        }
        Mat decoded = null;
        Mat transformed = null;
        try {
            long start = System.nanoTime();
            decoded = decoder.decode(input, format);
            ImageInfo info = new ImageInfo(decoded.cols(), decoded.rows(), decoded.channels(),
                    CvType.depth(decoded.type()) == CvType.CV_16U ? 16 : 8);
            long decodedAt = System.nanoTime();
            transformed = operation.apply(decoded);
            long transformedAt = System.nanoTime();
            byte[] output = encoder.encode(transformed);
            long encodedAt = System.nanoTime();
            return new ProcessedImage(output, encoder.contentType(), format, info, input.length,
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
}
