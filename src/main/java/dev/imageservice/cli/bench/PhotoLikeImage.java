package dev.imageservice.cli.bench;

import dev.imageservice.processing.OpenCvLibrary;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Synthetic stand-ins for photos, the same on every machine: smooth colour gradients and waves
 * with pixel noise on top (so the image compresses like a photo, not like flat colour), encoded as
 * JPEG quality 90. Benchmarks and load runs use them so that anyone can reproduce the figures.
 */
public final class PhotoLikeImage {
    /** The sizes the benchmarks report on: 0.3 MP, 2 MP and 12 MP, all 4:3. */
    public enum Size {
        MP_0_3(640, 480), MP_2(1600, 1200), MP_12(4000, 3000);

        private final int width;
        private final int height;

        Size(int width, int height) {
            this.width = width;
            this.height = height;
        }

        public int width() {
            return width;
        }

        public int height() {
            return height;
        }

        /** The file name used for it, e.g. photo-2mp.jpg. */
        public String fileName() {
            return "photo-" + name().substring(3).replace('_', '.').toLowerCase(java.util.Locale.ROOT) + "mp.jpg";
        }
    }

    private PhotoLikeImage() {
    }

    /** 8-bit BGR pixels; the caller owns (and releases) the Mat. Deterministic for a given seed. */
    public static Mat pixels(int width, int height, long seed) {
        OpenCvLibrary.load();
        byte[] data = new byte[width * height * 3];
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        int i = 0;
        for (int y = 0; y < height; y++) {
            double fy = (double) y / height;
            for (int x = 0; x < width; x++) {
                double fx = (double) x / width;
                for (int c = 0; c < 3; c++) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    int noise = (int) ((state >>> 40) % 17) - 8;
                    double gradient = 40 + 120 * (c == 0 ? fx : c == 1 ? fy : 1 - fx * fy);
                    double wave = 45 * Math.sin((fx * (3 + c) + fy * (2 + c)) * Math.PI * 2);
                    data[i++] = (byte) Math.max(0, Math.min(255, (int) (gradient + wave) + noise));
                }
            }
        }
        Mat mat = new Mat(height, width, CvType.CV_8UC3);
        mat.put(0, 0, data);
        return mat;
    }

    /** The photo-like image encoded as JPEG quality 90. */
    public static byte[] jpeg(int width, int height, long seed) {
        Mat mat = pixels(width, height, seed);
        MatOfByte out = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        try {
            if (!Imgcodecs.imencode(".jpg", mat, out, params)) {
                throw new IllegalStateException("OpenCV could not encode a JPEG");
            }
            return out.toArray();
        } finally {
            mat.release();
            out.release();
            params.release();
        }
    }

    public static byte[] jpeg(Size size) {
        return jpeg(size.width(), size.height(), size.ordinal() + 1);
    }
}
