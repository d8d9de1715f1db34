package dev.imageservice.processing;

import org.opencv.core.Mat;

/** One transformation of decoded pixels. New operations are new implementations of this. */
public interface ImageOperation {

    /** A short name for logs and metrics, e.g. "swap-channels". */
    String name();

    /**
     * Applies the operation. Returns either {@code source} itself (the operation changed nothing or
     * worked in place) or a new Mat that the caller owns; never releases {@code source}.
     */
    Mat apply(Mat source);
}
