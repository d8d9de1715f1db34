package dev.imageservice.processing.operation;

import java.util.function.Consumer;
import org.opencv.core.Mat;

/** Small helpers shared by the operations. */
final class Pixels {

    private Pixels() {
    }

    /** A new Mat filled by {@code fill}; released if filling throws, so no native memory leaks. */
    static Mat into(Consumer<Mat> fill) {
        Mat result = new Mat();
        try {
            fill.accept(result);
            return result;
        } catch (RuntimeException e) {
            result.release();
            throw e;
        }
    }
}
