package dev.imageservice.processing.operation;

import dev.imageservice.processing.Dimensions;
import dev.imageservice.processing.ImageOperation;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * Turns an image stored with EXIF orientation {@code orientation} (1-8) upright, as a browser
 * shows it: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse,
 * 8 rotate 270 clockwise; 1 changes nothing.
 */
public record Orient(int orientation) implements ImageOperation {

    public Orient {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("EXIF orientation must be 1-8, not " + orientation);
        }
    }

    @Override
    public String name() {
        return "orient";
    }

    @Override
    public Dimensions outputSize(Dimensions input) {
        return orientation >= 5 ? new Dimensions(input.height(), input.width()) : input;
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
        return switch (orientation) {
            case 2 -> Pixels.into(result -> Core.flip(source, result, 1));
            case 3 -> Pixels.into(result -> Core.rotate(source, result, Core.ROTATE_180));
            case 4 -> Pixels.into(result -> Core.flip(source, result, 0));
            case 5 -> Pixels.into(result -> Core.transpose(source, result));
            case 6 -> Pixels.into(result -> Core.rotate(source, result, Core.ROTATE_90_CLOCKWISE));
            case 7 -> Pixels.into(result -> {
                // Transverse: the mirror image across the anti-diagonal = transpose, then rotate 180.
                Core.transpose(source, result);
                Core.flip(result, result, -1);
            });
            case 8 -> Pixels.into(result -> Core.rotate(source, result, Core.ROTATE_90_COUNTERCLOCKWISE));
            default -> source;
        };
    }

    @Override
    public String toString() {
        return "orient(" + orientation + ")";
    }
}
