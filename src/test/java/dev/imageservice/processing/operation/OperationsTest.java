package dev.imageservice.processing.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.OutputFormat;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.RequestContext;
import dev.imageservice.processing.operation.SwapChannels;
import dev.imageservice.testing.Reference;
import dev.imageservice.testing.TestImages.Pixels;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Each operation through the real processor (decode, operations, PNG), against a reference
 * computed in the test: exact for the ones that only move pixels, PSNR for resampling.
 */
class OperationsTest {
    private final ImageProcessor processor = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS);
    private final Pixels original = TestImages.photoLike(97, 61, 3, 8, 11);
    private final byte[] png = TestImages.encode(original, ".png");

    private Pixels run(byte[] image, ImageOperation... operations) {
        ProcessedImage result = processor.process(EncodedImage.of(image),
                new ProcessingOptions(List.of(operations), OutputFormat.PNG, 0), RequestContext.NONE);
        assertThat(result.contentType()).isEqualTo("image/png");
        Pixels pixels = TestImages.decode(result.output());
        assertThat(result.info().width()).isEqualTo(pixels.width());
        assertThat(result.info().height()).isEqualTo(pixels.height());
        return pixels;
    }

    @Test
    void cropCutsOutExactlyTheRectangle() {
        assertThat(run(png, new Crop(10, 5, 40, 30))).isEqualTo(Reference.crop(original, 10, 5, 40, 30));
        assertThat(run(png, new Crop(0, 0, 97, 61))).isEqualTo(original);
        assertThat(run(png, new Crop(96, 60, 1, 1))).isEqualTo(Reference.crop(original, 96, 60, 1, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 90, 180, 270})
    void rotateTurnsClockwise(int degrees) {
        assertThat(run(png, new Rotate(degrees))).isEqualTo(Reference.rotate(original, degrees));
    }

    @Test
    void flipMirrorsEachWayAndBoth() {
        assertThat(run(png, new Flip(true, false))).isEqualTo(Reference.flip(original, true, false));
        assertThat(run(png, new Flip(false, true))).isEqualTo(Reference.flip(original, false, true));
        assertThat(run(png, new Flip(true, true))).isEqualTo(Reference.flip(original, true, true));
    }

    @Test
    void grayIsOpenCvsLumaAndKeepsAlpha() {
        Mat source = TestImages.toMat(original);
        Mat gray = new Mat();
        Imgproc.cvtColor(source, gray, Imgproc.COLOR_BGR2GRAY);
        Pixels expected = TestImages.fromMat(gray);
        source.release();
        gray.release();
        assertThat(run(png, new Grayscale())).isEqualTo(expected);

        Pixels withAlpha = TestImages.photoLike(30, 20, 4, 8, 12);
        Pixels result = run(TestImages.encode(withAlpha, ".png"), new Grayscale());
        assertThat(result.channels()).isEqualTo(4);
        for (int i = 0; i < 30 * 20; i++) {
            int[] s = result.samples();
            assertThat(s[i * 4]).isEqualTo(s[i * 4 + 1]).isEqualTo(s[i * 4 + 2]);
            assertThat(s[i * 4 + 3]).isEqualTo(withAlpha.samples()[i * 4 + 3]);
        }
        Pixels alreadyGray = TestImages.photoLike(30, 20, 1, 16, 13);
        assertThat(run(TestImages.encode(alreadyGray, ".png"), new Grayscale())).isEqualTo(alreadyGray);
    }

    @Test
    void swapComposesWithTheOtherOperationsInOrder() {
        // A swap before geometric operations moves into the PNG encoder; the pixels must not tell.
        assertThat(run(png, new SwapChannels(), new Rotate(90), new Crop(1, 2, 20, 30)))
                .isEqualTo(Reference.crop(Reference.rotate(original.swapped(), 90), 1, 2, 20, 30));
        assertThat(run(png, new Rotate(90), new SwapChannels())).isEqualTo(Reference.rotate(original, 90).swapped());
        assertThat(run(png, new SwapChannels(), new SwapChannels())).isEqualTo(original);
        // Gray of the swapped image differs from gray of the original: the swap must happen first.
        Mat swapped = TestImages.toMat(original.swapped());
        Mat gray = new Mat();
        Imgproc.cvtColor(swapped, gray, Imgproc.COLOR_BGR2GRAY);
        assertThat(run(png, new SwapChannels(), new Grayscale())).isEqualTo(TestImages.fromMat(gray));
        swapped.release();
        gray.release();
    }

    @Test
    void noOperationsIsTheTutorialsChannelSwap() {
        assertThat(run(png)).isEqualTo(original.swapped());
    }

    @Test
    void resizeDownAveragesAreasLikeJava2d() {
        Pixels smooth = TestImages.photoLike(400, 300, 3, 8, 14);
        byte[] image = TestImages.encode(smooth, ".png");
        Pixels result = run(image, new Resize(100, 75, Resize.Fit.FILL));
        assertThat(Reference.psnr(result, Reference.resized(smooth, 100, 75))).isGreaterThanOrEqualTo(35);
        Pixels odd = run(image, new Resize(123, 0, Resize.Fit.CONTAIN));
        assertThat(odd.width()).isEqualTo(123);
        assertThat(odd.height()).isEqualTo(92); // 300 * 123 / 400 = 92.25
        assertThat(Reference.psnr(odd, Reference.resized(smooth, 123, 92))).isGreaterThanOrEqualTo(35);
    }

    @Test
    void resizeUpInterpolatesLikeJava2dBicubic() {
        Pixels smooth = smooth(60, 40);
        Pixels result = run(TestImages.encode(smooth, ".png"), new Resize(150, 100, Resize.Fit.FILL));
        assertThat(result.width()).isEqualTo(150);
        assertThat(Reference.psnr(result, Reference.resized(smooth, 150, 100))).isGreaterThanOrEqualTo(35);
    }

    @Test
    void resizeFitsContainCoverAndFill() {
        byte[] image = TestImages.encode(TestImages.photoLike(400, 200, 3, 8, 15), ".png");
        assertThat(size(run(image, new Resize(100, 100, Resize.Fit.CONTAIN)))).isEqualTo("100x50");
        assertThat(size(run(image, new Resize(100, 100, Resize.Fit.FILL)))).isEqualTo("100x100");
        assertThat(size(run(image, new Resize(0, 50, Resize.Fit.COVER)))).isEqualTo("100x50");
        Pixels source = TestImages.photoLike(400, 200, 3, 8, 15);
        // Cover: the centre 200x200 of the image, scaled to the box.
        Pixels cover = run(image, new Resize(100, 100, Resize.Fit.COVER));
        assertThat(Reference.psnr(cover, Reference.resized(Reference.crop(source, 100, 0, 200, 200), 100, 100)))
                .isGreaterThanOrEqualTo(35);
    }

    private static String size(Pixels pixels) {
        return pixels.width() + "x" + pixels.height();
    }

    /** A smooth gradient without noise, where interpolation methods agree closely. */
    static Pixels smooth(int width, int height) {
        int[] samples = new int[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    samples[(y * width + x) * 3 + c] =
                            (int) Math.round(127.5 + 100 * Math.sin((x * (c + 1) + y * (3 - c)) / 17.0));
                }
            }
        }
        return new Pixels(width, height, 3, 8, samples);
    }
}
