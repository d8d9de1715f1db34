package dev.imageservice.processing.operation;

import dev.imageservice.processing.Dimensions;
import dev.imageservice.processing.ImageOperation;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/** Cuts out the rectangle at ({@code x}, {@code y}) of {@code width} x {@code height}, which must lie inside the image. */
public record Crop(int x, int y, int width, int height) implements ImageOperation {

    public Crop {
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException("x and y must be 0 or more, not " + x + "," + y);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be 1 or more, not " + width + "x" + height);
        }
    }

    @Override
    public String name() {
        return "crop";
    }

    @Override
    public Dimensions outputSize(Dimensions input) {
        if ((long) x + width > input.width() || (long) y + height > input.height()) {
            throw new IllegalArgumentException("the rectangle " + width + "x" + height + " at " + x + "," + y
                    + " is outside the " + input + " image");
        }
        return new Dimensions(width, height);
    }

    @Override
    public boolean commutesWithSwap() {
        return true;
    }

    /** A view of the source's pixels: no copy; the encoder reads it where it lies. */
    @Override
    public Mat apply(Mat source) {
        outputSize(new Dimensions(source.cols(), source.rows()));
        return source.submat(new Rect(x, y, width, height));
    }

    @Override
    public String toString() {
        return "crop:" + x + ":" + y + ":" + width + ":" + height;
    }
}
