package dev.imageservice.testing;

import java.util.Random;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Photo-sized images (12 MP and up) kept as raw bytes, not as {@link TestImages.Pixels}: an int per
 * sample would need half a gigabyte of heap for one 12 MP image.
 */
public final class LargeImages {
    static {
        dev.imageservice.processing.OpenCvLibrary.load();
    }

    private LargeImages() {
    }

    /** A smooth photo-like 8-bit BGR image with noise, encoded with OpenCV ({@code ".jpg"}, {@code ".png"}). */
    public static byte[] photo(int width, int height, String extension, int... params) {
        byte[] bgr = new byte[width * height * 3];
        Random random = new Random(width * 31L + height);
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                bgr[i++] = (byte) ((x * 255 / width + random.nextInt(16)) & 0xFF);
                bgr[i++] = (byte) ((y * 255 / height + random.nextInt(16)) & 0xFF);
                bgr[i++] = (byte) (((x + y) * 127 / (width + height) + 64 + random.nextInt(16)) & 0xFF);
            }
        }
        Mat mat = new Mat(height, width, CvType.CV_8UC3);
        MatOfByte out = new MatOfByte();
        try {
            mat.put(0, 0, bgr);
            Imgcodecs.imencode(extension, mat, out, new MatOfInt(params));
            return out.toArray();
        } finally {
            mat.release();
            out.release();
        }
    }

    /** The samples of an encoded 8-bit image as OpenCV decodes them (B, G, R order for colour). */
    public static byte[] decodeSamples(byte[] encoded) {
        MatOfByte in = new MatOfByte(encoded);
        Mat mat = Imgcodecs.imdecode(in, Imgcodecs.IMREAD_UNCHANGED);
        in.release();
        try {
            if (mat.empty() || CvType.depth(mat.type()) != CvType.CV_8U) {
                throw new IllegalArgumentException("not a decodable 8-bit image: " + encoded.length + " bytes");
            }
            byte[] samples = new byte[(int) (mat.total() * mat.channels())];
            mat.get(0, 0, samples);
            return samples;
        } finally {
            mat.release();
        }
    }

    /** The index of the first 3-channel sample where {@code result} is not {@code source} with B and R swapped, or -1. */
    public static long firstSwapMismatch(byte[] source, byte[] result) {
        if (source.length != result.length) {
            return 0;
        }
        for (int i = 0; i < source.length; i += 3) {
            if (result[i] != source[i + 2] || result[i + 1] != source[i + 1] || result[i + 2] != source[i]) {
                return i;
            }
        }
        return -1;
    }
}
