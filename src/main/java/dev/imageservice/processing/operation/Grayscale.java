package dev.imageservice.processing.operation;

import dev.imageservice.processing.ImageOperation;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Luma with ITU-R BT.601 weights (OpenCV's BGR2GRAY): a colour image becomes one channel. With
 * alpha, the three colour channels all become the luma and alpha stays, so every encoder can keep
 * the transparency. Gray images are unchanged.
 */
public final class Grayscale implements ImageOperation {

    @Override
    public String name() {
        return "gray";
    }

    @Override
    public boolean scaleFree() {
        return true;
    }

    @Override
    public Mat apply(Mat source) {
        int channels = source.channels();
        if (channels < 3) {
            return source;
        }
        Mat gray = new Mat();
        try {
            Imgproc.cvtColor(source, gray, channels == 4 ? Imgproc.COLOR_BGRA2GRAY : Imgproc.COLOR_BGR2GRAY);
            if (channels == 3) {
                Mat result = gray;
                gray = null;
                return result;
            }
            List<Mat> planes = new ArrayList<>(List.of(gray, gray, gray));
            Mat alpha = new Mat();
            Mat result = new Mat();
            try {
                Core.extractChannel(source, alpha, 3);
                planes.add(alpha);
                Core.merge(planes, result);
                return result;
            } catch (RuntimeException e) {
                result.release();
                throw e;
            } finally {
                alpha.release();
            }
        } finally {
            if (gray != null) {
                gray.release();
            }
        }
    }

    @Override
    public String toString() {
        return "gray";
    }
}
