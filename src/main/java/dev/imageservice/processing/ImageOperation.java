package dev.imageservice.processing;

import org.opencv.core.Mat;

/**
 * One transformation of decoded pixels, one small class each (like imgproxy's processing steps).
 * The processor first plans a request's operations on the image's dimensions (so that bad
 * parameters and oversized results are refused before any pixel is decoded), then applies them.
 */
public interface ImageOperation {

    /** A short name for logs and metrics, e.g. "swap-channels". */
    String name();

    /**
     * Applies the operation. Returns either {@code source} itself (the operation changed nothing or
     * worked in place) or a new Mat that the caller owns; never releases {@code source}.
     */
    Mat apply(Mat source);

    /**
     * The dimensions of the result for an input of {@code input}.
     *
     * @throws IllegalArgumentException naming the parameter that does not fit this input
     */
    default Dimensions outputSize(Dimensions input) {
        return input;
    }

    /**
     * This operation with everything that depends on the input fixed (sizes that follow the aspect
     * ratio become exact), so that it gives the planned result even on a smaller decode of the
     * same image (shrink-on-load).
     */
    default ImageOperation fixedFor(Dimensions input) {
        return this;
    }

    /**
     * This operation for an image whose EXIF orientation is {@code exifOrientation} (read only when
     * asked: auto-orientation is the one operation that needs it).
     */
    default ImageOperation oriented(java.util.function.IntSupplier exifOrientation) {
        return this;
    }

    /**
     * Whether it treats each channel on its own (moves or resamples pixels): then swapping the
     * channels before or after it gives the same result, so a swap can move to the encoder.
     */
    default boolean commutesWithSwap() {
        return false;
    }

    /**
     * Whether its parameters mean the same on a smaller copy of the image (rotate, flip, gray do;
     * crop coordinates and resize targets do not), so a smaller decode may come before it.
     */
    default boolean scaleFree() {
        return false;
    }

    /**
     * How many times smaller than {@code input} (in each direction, at least) the result is resampled
     * from: at least 2 lets the decoder do part of the shrinking (JPEG DCT scaling). 1 for
     * operations that do not shrink.
     */
    default double shrink(Dimensions input) {
        return 1;
    }
}
