package dev.imageservice.processing.operation;

import dev.imageservice.processing.ImageOperation;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Swaps the colour channel order, BGR to RGB (which is the same swap as RGB to BGR).
 *
 * <ul>
 *   <li>3 channels: B and R trade places, like the tutorial's {@code image[..., ::-1]}.</li>
 *   <li>4 channels: B and R trade places and alpha stays the alpha channel (the tutorial reverses
 *       all four channels, which moves alpha into the colour; we do not copy that).</li>
 *   <li>1 or 2 channels (gray, gray + alpha): unchanged (the tutorial's reversal mirrors a gray
 *       image left to right; we do not copy that either).</li>
 * </ul>
 * Bit depth is preserved.
 */
public final class SwapChannels implements ImageOperation {

    @Override
    public String name() {
        return "swap-channels";
    }

    @Override
    public boolean scaleFree() {
        return true;
    }

    @Override
    public String toString() {
        return "swap";
    }

    @Override
    public Mat apply(Mat source) {
        int code;
        switch (source.channels()) {
            case 3 -> code = Imgproc.COLOR_BGR2RGB;
            case 4 -> code = Imgproc.COLOR_BGRA2RGBA;
            default -> {
                return source;
            }
        }
        Mat swapped = new Mat();
        try {
            Imgproc.cvtColor(source, swapped, code);
        } catch (RuntimeException e) {
            swapped.release();
            throw e;
        }
        return swapped;
    }
}
