package dev.imageservice.testing;

import dev.imageservice.testing.TestImages.Pixels;

/**
 * Expected results of the geometric operations, computed here pixel by pixel from their
 * definitions (never by the code under test or by OpenCV), and PSNR for resampled results.
 */
public final class Reference {

    private Reference() {
    }

    /** Where a result pixel comes from: result (x, y) -> source {x, y}. */
    private interface Mapping {
        int[] source(int x, int y);
    }

    private static Pixels map(Pixels in, int width, int height, Mapping mapping) {
        int c = in.channels();
        int[] out = new int[width * height * c];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] s = mapping.source(x, y);
                System.arraycopy(in.samples(), (s[1] * in.width() + s[0]) * c, out, (y * width + x) * c, c);
            }
        }
        return new Pixels(width, height, c, in.bitDepth(), out);
    }

    public static Pixels crop(Pixels in, int x0, int y0, int width, int height) {
        return map(in, width, height, (x, y) -> new int[] {x0 + x, y0 + y});
    }

    /** Clockwise. */
    public static Pixels rotate(Pixels in, int degrees) {
        int w = in.width();
        int h = in.height();
        return switch (degrees) {
            case 90 -> map(in, h, w, (x, y) -> new int[] {y, h - 1 - x});
            case 180 -> map(in, w, h, (x, y) -> new int[] {w - 1 - x, h - 1 - y});
            case 270 -> map(in, h, w, (x, y) -> new int[] {w - 1 - y, x});
            default -> in;
        };
    }

    public static Pixels flip(Pixels in, boolean horizontal, boolean vertical) {
        int w = in.width();
        int h = in.height();
        return map(in, w, h, (x, y) -> new int[] {horizontal ? w - 1 - x : x, vertical ? h - 1 - y : y});
    }

    /**
     * The image as a viewer shows one stored with EXIF orientation {@code orientation}, from the
     * tag's definition (where the stored 0th row and 0th column go).
     */
    public static Pixels oriented(Pixels in, int orientation) {
        int w = in.width();
        int h = in.height();
        return switch (orientation) {
            case 2 -> map(in, w, h, (x, y) -> new int[] {w - 1 - x, y});
            case 3 -> map(in, w, h, (x, y) -> new int[] {w - 1 - x, h - 1 - y});
            case 4 -> map(in, w, h, (x, y) -> new int[] {x, h - 1 - y});
            case 5 -> map(in, h, w, (x, y) -> new int[] {y, x});
            case 6 -> map(in, h, w, (x, y) -> new int[] {y, h - 1 - x});
            case 7 -> map(in, h, w, (x, y) -> new int[] {w - 1 - y, h - 1 - x});
            case 8 -> map(in, h, w, (x, y) -> new int[] {w - 1 - y, x});
            default -> in;
        };
    }

    /**
     * An 8-bit 3-channel image scaled with Java 2D, independently of OpenCV: area averaging when
     * shrinking, bicubic interpolation when enlarging.
     */
    public static Pixels resized(Pixels in, int width, int height) {
        java.awt.image.BufferedImage source = new java.awt.image.BufferedImage(in.width(), in.height(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                source.setRGB(x, y, in.at(x, y, 2) << 16 | in.at(x, y, 1) << 8 | in.at(x, y, 0));
            }
        }
        java.awt.image.BufferedImage target = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = target.createGraphics();
        if (width <= in.width() && height <= in.height()) {
            g.drawImage(source.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } else {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                    java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(source, 0, 0, width, height, null);
        }
        g.dispose();
        int[] out = new int[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = target.getRGB(x, y);
                int i = (y * width + x) * 3;
                out[i] = rgb & 0xFF;
                out[i + 1] = (rgb >> 8) & 0xFF;
                out[i + 2] = (rgb >> 16) & 0xFF;
            }
        }
        return new Pixels(width, height, 3, 8, out);
    }

    /** Peak signal-to-noise ratio in dB over all samples of two images of the same shape. */
    public static double psnr(Pixels a, Pixels b) {
        if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
            throw new IllegalArgumentException("different shapes: " + a + " and " + b);
        }
        double max = a.bitDepth() == 16 ? 65535 : 255;
        double sum = 0;
        for (int i = 0; i < a.samples().length; i++) {
            double d = a.samples()[i] - b.samples()[i];
            sum += d * d;
        }
        double mse = sum / a.samples().length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(max * max / mse);
    }
}
