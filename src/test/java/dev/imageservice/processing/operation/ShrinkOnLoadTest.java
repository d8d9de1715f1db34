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
import dev.imageservice.testing.Reference;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import dev.imageservice.testing.TestLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Downscaling a JPEG decodes it smaller (DCT scaling) and still gives the exact size and pixels
 * close to a full decode scaled by area averaging.
 */
class ShrinkOnLoadTest {
    private final ImageProcessor processor = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS);
    private final Pixels photo = camera(1600, 1200);
    private final byte[] jpeg = TestImages.encode(photo, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
    private final Pixels fullDecode = TestImages.decode(jpeg);

    private ProcessedImage run(ImageOperation... operations) {
        return processor.process(EncodedImage.of(jpeg), new ProcessingOptions(List.of(operations), OutputFormat.PNG, 0),
                RequestContext.NONE);
    }

    /**
     * Detail at the scale of a camera photo: features tens of pixels wide plus sensor noise. (The
     * test images of other tests change every few pixels; scaled 12x, any two downscalers alias
     * such detail differently.)
     */
    private static Pixels camera(int width, int height) {
        java.util.Random random = new java.util.Random(41);
        int[] samples = new int[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double wave = Math.sin((x * (c + 1) + y * (3 - c)) / 160.0) + 0.3 * Math.sin((x - 2 * y) / 37.0);
                    int value = (int) Math.round(127 + 85 * wave) + random.nextInt(25) - 12;
                    samples[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, value));
                }
            }
        }
        return new Pixels(width, height, 3, 8, samples);
    }

    @Test
    void eightTimesSmallerIsDecodedAtAnEighth() {
        ProcessedImage result = run(new Resize(200, 150, Resize.Fit.CONTAIN));

        assertThat(result.decoded().width()).isEqualTo(200);
        Pixels pixels = TestImages.decode(result.output());
        assertThat(pixels.width()).isEqualTo(200);
        assertThat(pixels.height()).isEqualTo(150);
        assertThat(Reference.psnr(pixels, Reference.resized(fullDecode, 200, 150))).isGreaterThanOrEqualTo(35);
    }

    @Test
    void betweenFactorsTheDecoderDoesTheFirstPowerOfTwo() {
        // 1600 -> 300 is 5.3x: decoded at a quarter (400x300), then averaged to the exact size.
        ProcessedImage result = run(new AutoOrient(), new Resize(300, 0, Resize.Fit.CONTAIN));

        assertThat(result.decoded().width()).isEqualTo(400);
        Pixels pixels = TestImages.decode(result.output());
        assertThat(pixels.width()).isEqualTo(300);
        assertThat(pixels.height()).isEqualTo(225);
        assertThat(Reference.psnr(pixels, Reference.resized(fullDecode, 300, 225))).isGreaterThanOrEqualTo(35);
    }

    @Test
    void coverAndRotationBeforeTheResizeStillGetTheExactBox() {
        ProcessedImage result = run(new Rotate(90), new Resize(100, 100, Resize.Fit.COVER));

        assertThat(result.decoded().width()).isLessThan(1600);
        Pixels pixels = TestImages.decode(result.output());
        assertThat(pixels.width()).isEqualTo(100);
        assertThat(pixels.height()).isEqualTo(100);
        Pixels expected = Reference.resized(Reference.crop(Reference.rotate(fullDecode, 90), 0, 200, 1200, 1200), 100, 100);
        assertThat(Reference.psnr(pixels, expected)).isGreaterThanOrEqualTo(35);
    }

    @Test
    void aCropBeforeTheResizeNeedsTheFullImage() {
        ProcessedImage result = run(new Crop(0, 0, 1600, 600), new Resize(200, 0, Resize.Fit.CONTAIN));

        assertThat(result.decoded().width()).isEqualTo(1600);
        assertThat(TestImages.decode(result.output()).height()).isEqualTo(75);
    }

    @Test
    void smallShrinksDecodeInFull() {
        assertThat(run(new Resize(1000, 0, Resize.Fit.CONTAIN)).decoded().width()).isEqualTo(1600);
        assertThat(run(new Resize(800, 0, Resize.Fit.CONTAIN)).decoded().width()).isEqualTo(800);
    }
}
