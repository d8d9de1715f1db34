package dev.imageservice.processing.codec;

import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.OutputFormat;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * JPEG or WebP through OpenCV's imencode at a given quality. Both are 8-bit formats: 16-bit
 * samples are scaled to 8 bits; JPEG has no alpha, so alpha is dropped (the colour stays as
 * stored, as sharp does for JPEG output without a background).
 */
public final class OpenCvLossyEncoder implements ImageEncoder {
    private final OutputFormat format;
    private final int quality;

    public OpenCvLossyEncoder(OutputFormat format, int quality) {
        if (!format.lossy()) {
            throw new IllegalArgumentException("not a lossy format: " + format);
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1-100, not " + quality);
        }
        this.format = format;
        this.quality = quality;
    }

    @Override
    public String contentType() {
        return format.contentType();
    }

    @Override
    public byte[] encode(Mat image) {
        Mat eightBit = image;
        Mat prepared = null;
        MatOfByte buffer = new MatOfByte();
        try {
            if (CvType.depth(image.type()) != CvType.CV_8U) {
                eightBit = new Mat();
                image.convertTo(eightBit, CvType.CV_8U, 1 / 257.0);
            }
            prepared = colours(eightBit);
            MatOfInt parameters = format == OutputFormat.JPEG
                    ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality)
                    // Always passed: without a quality OpenCV writes lossless WebP.
                    : new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, quality);
            try {
                if (!Imgcodecs.imencode("." + format.extension(), prepared, buffer, parameters)) {
                    throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL,
                            "the " + format + " encoder refused a " + image.cols() + "x" + image.rows() + " image");
                }
            } finally {
                parameters.release();
            }
            return buffer.toArray();
        } finally {
            buffer.release();
            if (prepared != null && prepared != eightBit) {
                prepared.release();
            }
            if (eightBit != image) {
                eightBit.release();
            }
        }
    }

    /** The channels the format takes: JPEG gray or BGR, WebP BGR or BGRA (gray is widened by OpenCV). */
    private Mat colours(Mat image) {
        int channels = image.channels();
        int code = -1;
        if (format == OutputFormat.JPEG && channels == 4) {
            code = Imgproc.COLOR_BGRA2BGR;
        } else if (channels == 2) {
            code = format == OutputFormat.JPEG ? -2 : Imgproc.COLOR_GRAY2BGRA;
        }
        if (code == -1) {
            return image;
        }
        Mat result = new Mat();
        try {
            if (code == -2) {
                org.opencv.core.Core.extractChannel(image, result, 0);
            } else {
                // Gray + alpha: OpenCV has no 2-channel conversion; widen gray and reattach alpha.
                Mat gray = new Mat();
                Mat alpha = new Mat();
                try {
                    org.opencv.core.Core.extractChannel(image, gray, 0);
                    org.opencv.core.Core.extractChannel(image, alpha, 1);
                    org.opencv.core.Core.merge(java.util.List.of(gray, gray, gray, alpha), result);
                } finally {
                    gray.release();
                    alpha.release();
                }
            }
            return result;
        } catch (RuntimeException e) {
            result.release();
            throw e;
        }
    }
}
