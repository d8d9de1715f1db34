package dev.imageservice.processing.operation;

import dev.imageservice.processing.ImageOperation;
import java.util.function.IntSupplier;
import org.opencv.core.Mat;

/**
 * Turns the image upright by its EXIF orientation, as browsers show it. The processor replaces it
 * with the {@link Orient} of the image at hand when it plans the request (see {@link #oriented}).
 */
public final class AutoOrient implements ImageOperation {

    @Override
    public String name() {
        return "orient";
    }

    @Override
    public ImageOperation oriented(IntSupplier exifOrientation) {
        return new Orient(exifOrientation.getAsInt());
    }

    @Override
    public boolean commutesWithSwap() {
        return true;
    }

    @Override
    public boolean scaleFree() {
        return true;
    }

    @Override
    public Mat apply(Mat source) {
        throw new IllegalStateException("auto-orient must be planned for an image before it is applied");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AutoOrient;
    }

    @Override
    public int hashCode() {
        return 7;
    }

    @Override
    public String toString() {
        return "orient";
    }
}
