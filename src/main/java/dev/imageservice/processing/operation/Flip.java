package dev.imageservice.processing.operation;

import dev.imageservice.processing.ImageOperation;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** Mirrors the image left to right ({@code horizontal}), top to bottom ({@code vertical}), or both. */
public record Flip(boolean horizontal, boolean vertical) implements ImageOperation {

    public Flip {
        if (!horizontal && !vertical) {
            throw new IllegalArgumentException("flip needs horizontal, vertical or both");
        }
    }

    @Override
    public String name() {
        return "flip";
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
        // OpenCV's flip codes: 1 around the vertical axis (left-right), 0 around the horizontal, -1 both.
        int code = horizontal && vertical ? -1 : horizontal ? 1 : 0;
        return Pixels.into(result -> Core.flip(source, result, code));
    }

    @Override
    public String toString() {
        return "flip:" + (horizontal ? "h" : "") + (vertical ? "v" : "");
    }
}
