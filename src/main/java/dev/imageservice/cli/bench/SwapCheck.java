package dev.imageservice.cli.bench;

import dev.imageservice.processing.OpenCvLibrary;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Whether an answer is, pixel for pixel, the input with its colour channels swapped: the input
 * decoded by OpenCV as stored (the tutorial's decoder), its first and third channels exchanged, and
 * the answer decoded losslessly. This decodes both images, so the load generator does it once per
 * image, before the load, and compares later answers with that one by digest ({@link ExpectedAnswers}).
 */
final class SwapCheck {

    private SwapCheck() {
    }

    /** Null when {@code answer} is the exact swap of {@code input}, else what is different. */
    static String problem(byte[] input, byte[] answer) {
        OpenCvLibrary.load();
        Mat source = decode(input);
        Mat got = decode(answer);
        Mat expected = new Mat();
        try {
            if (source.empty()) {
                return "OpenCV cannot decode the input";
            }
            if (got.empty()) {
                return "the answer is not an image OpenCV can decode";
            }
            switch (source.channels()) {
                case 3 -> Imgproc.cvtColor(source, expected, Imgproc.COLOR_BGR2RGB);
                case 4 -> Imgproc.cvtColor(source, expected, Imgproc.COLOR_BGRA2RGBA);
                default -> source.copyTo(expected);
            }
            if (got.cols() != expected.cols() || got.rows() != expected.rows()) {
                return "the answer is " + got.cols() + "x" + got.rows() + ", expected " + expected.cols() + "x" + expected.rows();
            }
            if (got.type() != expected.type()) {
                return "the answer has " + CvType.typeToString(got.type()) + " pixels, expected " + CvType.typeToString(expected.type());
            }
            Mat difference = new Mat();
            try {
                Core.absdiff(got, expected, difference);
                int differing = Core.countNonZero(difference.reshape(1));
                return differing == 0 ? null : differing + " channel values differ from the swapped input";
            } finally {
                difference.release();
            }
        } finally {
            source.release();
            got.release();
            expected.release();
        }
    }

    private static Mat decode(byte[] bytes) {
        MatOfByte encoded = new MatOfByte(bytes);
        try {
            return Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_UNCHANGED);
        } finally {
            encoded.release();
        }
    }
}
