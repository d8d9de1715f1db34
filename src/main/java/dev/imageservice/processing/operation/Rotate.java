package dev.imageservice.processing.operation;

import dev.imageservice.processing.Dimensions;
import dev.imageservice.processing.ImageOperation;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** Rotates clockwise by a multiple of 90 degrees: pixels move, none is resampled. */
public record Rotate(int degrees) implements ImageOperation {

    public Rotate {
        if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270) {
            throw new IllegalArgumentException("degrees must be 90, 180 or 270, not " + degrees);
        }
    }

    @Override
    public String name() {
        return "rotate";
    }

    @Override
    public Dimensions outputSize(Dimensions input) {
        return degrees % 180 == 0 ? input : new Dimensions(input.height(), input.width());
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
        if (degrees == 0) {
            return source;
        }
        int code = switch (degrees) {
            case 90 -> Core.ROTATE_90_CLOCKWISE;
            case 180 -> Core.ROTATE_180;
            default -> Core.ROTATE_90_COUNTERCLOCKWISE;
        };
        return Pixels.into(result -> Core.rotate(source, result, code));
    }

    @Override
    public String toString() {
        return "rotate:" + degrees;
    }
}
