package dev.imageservice.processing.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Large decodes reuse their thread's native memory only once the previous image is released; a
 * still-held image is never overwritten; shrink-on-load through TurboJPEG gives OpenCV's pixels.
 */
class ReusedNativeMemoryTest {
    static {
        OpenCvLibrary.load();
    }

    private static final OpenCvDecoder OPENCV = new OpenCvDecoder();
    // 2400 x 2400 x 3 = 17 MB of pixels: in the kept range.
    private static byte[] first;
    private static byte[] second;

    @BeforeAll
    static void images() {
        RequiredTools.require(TurboJpeg.available(),
                () -> "libturbojpeg.so.0 (apt-get install -y libturbojpeg0): " + TurboJpeg.load().orElse(""));
        first = TestImages.encode(TestImages.photoLike(2400, 2400, 3, 8, 51), ".jpg");
        second = TestImages.encode(TestImages.photoLike(2400, 2400, 3, 8, 52), ".jpg");
    }

    @Test
    void aReleasedImagesMemoryIsReusedWithExactPixels() {
        TurboJpegDecoder decoder = new TurboJpegDecoder(OPENCV);
        Mat a = decoder.decode(first, FormatProbe.probe(first));
        long address = a.dataAddr();
        a.release();
        Mat b = decoder.decode(second, FormatProbe.probe(second));
        try {
            assertThat(b.dataAddr()).as("the same native memory").isEqualTo(address);
            assertThat(TestImages.fromMat(b)).isEqualTo(TestImages.fromMat(OPENCV.decode(second, FormatProbe.probe(second))));
        } finally {
            b.release();
        }
    }

    @Test
    void anImageStillHeldIsNeverOverwritten() {
        TurboJpegDecoder decoder = new TurboJpegDecoder(OPENCV);
        Mat a = decoder.decode(first, FormatProbe.probe(first));
        Pixels before = TestImages.fromMat(a);
        Mat b = decoder.decode(second, FormatProbe.probe(second));
        try {
            assertThat(b.dataAddr()).isNotEqualTo(a.dataAddr());
            assertThat(TestImages.fromMat(a)).isEqualTo(before);
        } finally {
            b.release();
            a.release();
        }
    }

    @Test
    void shrinkOnLoadGivesOpenCvsReducedPixels() {
        for (int factor : new int[] {2, 4, 8}) {
            for (byte[] jpeg : new byte[][] {first, TestImages.encode(TestImages.photoLike(333, 211, 1, 8, 53), ".jpg")}) {
                Mat fast = ShrinkOnLoad.decode(jpeg, factor);
                int gray = jpeg == first ? 0 : 1;
                int flag = switch (factor) {
                    case 2 -> gray == 1 ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_2 : Imgcodecs.IMREAD_REDUCED_COLOR_2;
                    case 4 -> gray == 1 ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_4 : Imgcodecs.IMREAD_REDUCED_COLOR_4;
                    default -> gray == 1 ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_8 : Imgcodecs.IMREAD_REDUCED_COLOR_8;
                };
                MatOfByte bytes = new MatOfByte(jpeg);
                Mat opencv = Imgcodecs.imdecode(bytes, flag | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
                try {
                    assertThat(TestImages.fromMat(fast)).as("1/" + factor).isEqualTo(TestImages.fromMat(opencv));
                } finally {
                    fast.release();
                    opencv.release();
                    bytes.release();
                }
            }
        }
    }
}
