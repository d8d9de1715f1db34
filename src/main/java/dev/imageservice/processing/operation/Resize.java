package dev.imageservice.processing.operation;

import dev.imageservice.processing.Dimensions;
import dev.imageservice.processing.ImageOperation;
import java.util.Locale;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Scales the image into a box of {@code width} x {@code height}; 0 for one of them follows the
 * aspect ratio. Shrinking averages areas (OpenCV's INTER_AREA: no aliasing, no moire); enlarging
 * interpolates bicubically.
 */
public record Resize(int width, int height, Fit fit) implements ImageOperation {
    /** Largest side asked for; the pixel limit usually refuses far smaller results first. */
    public static final int MAX_SIDE = 1 << 16;

    /** How the image fits the box. */
    public enum Fit {
        /** Inside the box, keeping the aspect ratio: the result may be smaller than the box one way. */
        CONTAIN,
        /** Covers the box, keeping the aspect ratio, and the centre is cropped to it. */
        COVER,
        /** Exactly the box, stretched. */
        FILL;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Resize {
        if (fit == null) {
            fit = Fit.CONTAIN;
        }
        if (width < 0 || height < 0 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("width and height must be 0-" + MAX_SIDE + ", not " + width + "x" + height);
        }
        if (width == 0 && height == 0) {
            throw new IllegalArgumentException("width and height cannot both be 0 (0 follows the aspect ratio from the other)");
        }
    }

    @Override
    public String name() {
        return "resize";
    }

    @Override
    public Dimensions outputSize(Dimensions input) {
        if (width == 0 || height == 0) {
            double scale = width > 0 ? width / (double) input.width() : height / (double) input.height();
            return new Dimensions(width > 0 ? width : scaled(input.width(), scale),
                    height > 0 ? height : scaled(input.height(), scale));
        }
        if (fit != Fit.CONTAIN) {
            return new Dimensions(width, height);
        }
        double scale = Math.min(width / (double) input.width(), height / (double) input.height());
        return new Dimensions(Math.min(width, scaled(input.width(), scale)), Math.min(height, scaled(input.height(), scale)));
    }

    /** The exact box for this input: a smaller decode of the same image then gets the same size. */
    @Override
    public ImageOperation fixedFor(Dimensions input) {
        if (fit == Fit.COVER && width > 0 && height > 0) {
            return this; // already exact; the centre crop follows the image's aspect ratio
        }
        Dimensions box = outputSize(input);
        return new Resize(box.width(), box.height(), Fit.FILL);
    }

    @Override
    public double shrink(Dimensions input) {
        Dimensions region = coverRegion(input);
        Dimensions target = outputSize(input);
        return Math.min(region.width() / (double) target.width(), region.height() / (double) target.height());
    }

    @Override
    public boolean commutesWithSwap() {
        return true;
    }

    @Override
    public Mat apply(Mat source) {
        Dimensions input = new Dimensions(source.cols(), source.rows());
        Dimensions target = outputSize(input);
        Dimensions region = coverRegion(input);
        Mat from = source;
        if (!region.equals(input)) {
            from = source.submat(new Rect((input.width() - region.width()) / 2, (input.height() - region.height()) / 2,
                    region.width(), region.height()));
        }
        try {
            if (target.equals(region)) {
                return from == source ? source : from.clone();
            }
            boolean shrinking = target.width() <= region.width() && target.height() <= region.height();
            Mat in = from;
            return Pixels.into(result -> Imgproc.resize(in, result, new Size(target.width(), target.height()), 0, 0,
                    shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC));
        } finally {
            if (from != source) {
                from.release();
            }
        }
    }

    /** The part of the input that is scaled: all of it, or for cover the centre with the box's aspect ratio. */
    private Dimensions coverRegion(Dimensions input) {
        if (fit != Fit.COVER || width == 0 || height == 0) {
            return input;
        }
        double box = width / (double) height;
        if (input.width() / (double) input.height() > box) {
            return new Dimensions(Math.min(input.width(), scaled(input.height(), box)), input.height());
        }
        return new Dimensions(input.width(), Math.min(input.height(), scaled(input.width(), 1 / box)));
    }

    private static int scaled(int side, double scale) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(side * scale)));
    }

    @Override
    public String toString() {
        return "resize:" + width + ":" + height + ":" + fit.key();
    }
}
