package dev.imageservice.processing.codec;

import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.processing.format.ImageHeader;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** Decodes every format OpenCV's imgcodecs reads, as stored ({@code IMREAD_UNCHANGED}). */
public final class OpenCvDecoder implements ImageDecoder {

    @Override
    public Mat decode(byte[] data, ImageHeader header) {
        ImageFormat format = header.format();
        MatOfByte encoded = new MatOfByte(data);
        Mat decoded;
        try {
            decoded = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_UNCHANGED);
        } catch (CvException e) {
            // OpenCV's message names native files and lines: keep it in the cause, not the reply.
            throw new ImageProcessingException(ImageProcessingException.Kind.INVALID_IMAGE,
                    "could not decode the image (" + format.displayName() + ", " + data.length + " bytes)", e);
        } finally {
            encoded.release();
        }
        if (decoded.empty()) {
            decoded.release();
            throw ImageProcessingException.invalid("could not decode the image: corrupt " + format.displayName() + " data");
        }
        int depth = CvType.depth(decoded.type());
        if (depth != CvType.CV_8U && depth != CvType.CV_16U) {
            decoded.release();
            throw ImageProcessingException.unsupported("unsupported pixel type: " + depthName(depth)
                    + " samples; send an image with 8- or 16-bit integer samples");
        }
        return decoded;
    }

    private static String depthName(int depth) {
        return switch (depth) {
            case CvType.CV_8S -> "signed 8-bit";
            case CvType.CV_16S -> "signed 16-bit";
            case CvType.CV_32S -> "32-bit integer";
            case CvType.CV_32F -> "32-bit floating-point";
            case CvType.CV_64F -> "64-bit floating-point";
            case CvType.CV_16F -> "16-bit floating-point";
            default -> "unknown";
        };
    }
}
