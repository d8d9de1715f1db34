package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import dev.imageservice.testing.TestImages.Pixels;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** The processor on its own, without any transport. */
class PipelineImageProcessorTest {
    private final ImageProcessor processor = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS);

    @Test
    void reportsShapeFormatAndStageTimes() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(120, 80, 3, 8, 1), ".jpg");

        ProcessedImage result = processor.process(jpeg);

        assertThat(result.info()).isEqualTo(new ImageInfo(120, 80, 3, 8));
        assertThat(result.inputFormat()).isEqualTo(ImageFormat.JPEG);
        assertThat(result.inputBytes()).isEqualTo(jpeg.length);
        assertThat(result.contentType()).isEqualTo("image/png");
        assertThat(result.decodeNanos()).isPositive();
        assertThat(result.encodeNanos()).isPositive();
    }

    @Test
    void tiffAndWebpAreReadToo() {
        Pixels input = TestImages.photoLike(40, 30, 3, 8, 2);

        for (String extension : new String[] {".tiff", ".webp", ".bmp"}) {
            int[] params = extension.equals(".webp") ? new int[] {Imgcodecs.IMWRITE_WEBP_QUALITY, 101} : new int[0];
            ProcessedImage result = processor.process(TestImages.encode(input, extension, params));
            assertThat(TestImages.decode(result.output())).as(extension).isEqualTo(input.swapped());
        }
    }

    @Test
    void floatingPointTiffIsRefusedRatherThanTurnedBlack() {
        Mat floats = new Mat(4, 4, CvType.CV_32FC3, new Scalar(0.25, 0.5, 0.75));
        MatOfByte tiff = new MatOfByte();
        Imgcodecs.imencode(".tiff", floats, tiff);

        assertThatThrownBy(() -> processor.process(tiff.toArray()))
                .isInstanceOfSatisfying(ImageProcessingException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImageProcessingException.Kind.UNSUPPORTED_FORMAT))
                .hasMessageContaining("32-bit floating-point");
        floats.release();
        tiff.release();
    }

    @Test
    void emptyInputIsInvalid() {
        assertThatThrownBy(() -> processor.process(new byte[0]))
                .isInstanceOfSatisfying(ImageProcessingException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImageProcessingException.Kind.INVALID_IMAGE));
    }
}
