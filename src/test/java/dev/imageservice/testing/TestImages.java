package dev.imageservice.testing;

import dev.imageservice.processing.OpenCvLibrary;
import java.util.Random;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Builds test images and reads results back as plain pixel arrays, so tests compare pixels
 * computed by hand, not by the code under test.
 */
public final class TestImages {
    static {
        OpenCvLibrary.load();
    }

    private TestImages() {
    }

    /** Pixels as OpenCV stores them: rows, then columns, then channels (B, G, R[, A]). */
    public record Pixels(int width, int height, int channels, int bitDepth, int[] samples) {

        /** Equal when shape and every sample are equal (records compare arrays by reference). */
        @Override
        public boolean equals(Object other) {
            return other instanceof Pixels p && p.width == width && p.height == height && p.channels == channels
                    && p.bitDepth == bitDepth && java.util.Arrays.equals(p.samples, samples);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(width, height, channels, bitDepth, java.util.Arrays.hashCode(samples));
        }

        /** Shape and the first differing sample are what a failure message needs, not megabytes of samples. */
        @Override
        public String toString() {
            return width + "x" + height + "x" + channels + " " + bitDepth + "-bit (samples hash "
                    + Integer.toHexString(java.util.Arrays.hashCode(samples)) + ", first " + java.util.Arrays.toString(
                    java.util.Arrays.copyOf(samples, Math.min(8, samples.length))) + ")";
        }

        public int at(int x, int y, int channel) {
            return samples[(y * width + x) * channels + channel];
        }

        /** The expected result of the service's channel swap: B and R trade places, alpha stays. */
        public Pixels swapped() {
            int[] out = samples.clone();
            if (channels >= 3) {
                for (int i = 0; i < out.length; i += channels) {
                    out[i] = samples[i + 2];
                    out[i + 2] = samples[i];
                }
            }
            return new Pixels(width, height, channels, bitDepth, out);
        }
    }

    /** A smooth, photo-like colour image with noise (so it is not trivially compressible). */
    public static Pixels photoLike(int width, int height, int channels, int bitDepth, long seed) {
        Random random = new Random(seed);
        int max = bitDepth == 16 ? 65535 : 255;
        int[] samples = new int[width * height * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    double wave = 0.5 + 0.5 * Math.sin((x * (c + 1) + y * (3 - c)) / 23.0);
                    int value = (int) (wave * max * 0.9) + random.nextInt(Math.max(1, max / 10));
                    samples[(y * width + x) * channels + c] = Math.min(max, value);
                }
            }
        }
        return new Pixels(width, height, channels, bitDepth, samples);
    }

    /** Encodes pixels with OpenCV into the format of {@code extension} (".png", ".jpg", ".tiff", ...). */
    public static byte[] encode(Pixels pixels, String extension, int... params) {
        Mat mat = toMat(pixels);
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(extension, mat, out, new MatOfInt(params))) {
                throw new IllegalStateException("OpenCV could not encode " + extension);
            }
            return out.toArray();
        } finally {
            mat.release();
            out.release();
        }
    }

    /** Decodes an encoded image as stored (IMREAD_UNCHANGED) into plain pixels. */
    public static Pixels decode(byte[] encoded) {
        MatOfByte in = new MatOfByte(encoded);
        Mat mat = Imgcodecs.imdecode(in, Imgcodecs.IMREAD_UNCHANGED);
        in.release();
        try {
            if (mat.empty()) {
                throw new IllegalArgumentException("not decodable: " + encoded.length + " bytes");
            }
            return fromMat(mat);
        } finally {
            mat.release();
        }
    }

    public static Mat toMat(Pixels pixels) {
        boolean sixteen = pixels.bitDepth() == 16;
        Mat mat = new Mat(pixels.height(), pixels.width(),
                CvType.makeType(sixteen ? CvType.CV_16U : CvType.CV_8U, pixels.channels()));
        if (sixteen) {
            short[] data = new short[pixels.samples().length];
            for (int i = 0; i < data.length; i++) {
                data[i] = (short) pixels.samples()[i];
            }
            mat.put(0, 0, data);
        } else {
            byte[] data = new byte[pixels.samples().length];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) pixels.samples()[i];
            }
            mat.put(0, 0, data);
        }
        return mat;
    }

    public static Pixels fromMat(Mat mat) {
        int depth = CvType.depth(mat.type());
        int channels = mat.channels();
        int count = mat.rows() * mat.cols() * channels;
        int[] samples = new int[count];
        Mat continuous = mat.isContinuous() ? mat : mat.clone();
        try {
            if (depth == CvType.CV_16U) {
                short[] data = new short[count];
                continuous.get(0, 0, data);
                for (int i = 0; i < count; i++) {
                    samples[i] = data[i] & 0xFFFF;
                }
            } else if (depth == CvType.CV_8U) {
                byte[] data = new byte[count];
                continuous.get(0, 0, data);
                for (int i = 0; i < count; i++) {
                    samples[i] = data[i] & 0xFF;
                }
            } else {
                throw new IllegalArgumentException("unexpected depth " + depth);
            }
        } finally {
            if (continuous != mat) {
                continuous.release();
            }
        }
        return new Pixels(mat.cols(), mat.rows(), channels, depth == CvType.CV_16U ? 16 : 8, samples);
    }
}
