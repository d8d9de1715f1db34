package dev.imageservice.processing.codec;

import dev.imageservice.processing.ImageProcessingException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * PNG through OpenCV's imencode with its defaults (zlib level 1 with the RLE strategy), as the
 * tutorial does. Passing IMWRITE_PNG_COMPRESSION explicitly switches the strategy and is measurably
 * slower and larger, so no parameters are passed.
 */
public final class OpenCvPngEncoder implements ImageEncoder {

    @Override
    public String contentType() {
        return "image/png";
    }

    @Override
    public byte[] encode(Mat image) {
        MatOfByte buffer = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".png", image, buffer)) {
                throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL,
                        "the PNG encoder refused a " + image.cols() + "x" + image.rows() + " image");
            }
            return buffer.toArray();
        } finally {
            buffer.release();
        }
    }
}
