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

/** JPEG and WebP output: they decode, with the expected size, channels and a quality that matters. */
class OutputFormatsTest {
    private final ImageProcessor processor = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS);

    private ProcessedImage run(byte[] image, OutputFormat format, int quality, ImageOperation... operations) {
        return processor.process(EncodedImage.of(image), new ProcessingOptions(List.of(operations), format, quality),
                RequestContext.NONE);
    }

    @Test
    void jpegOutputDecodesWithTheExpectedSizeAndPixels() {
        Pixels smooth = OperationsTest.smooth(200, 120);
        ProcessedImage result = run(TestImages.encode(smooth, ".png"), OutputFormat.JPEG, 95, new Resize(100, 0, null));

        assertThat(result.contentType()).isEqualTo("image/jpeg");
        assertThat(result.output()).startsWith(0xFF, 0xD8, 0xFF);
        Pixels decoded = TestImages.decode(result.output());
        assertThat(decoded.width()).isEqualTo(100);
        assertThat(decoded.height()).isEqualTo(60);
        assertThat(Reference.psnr(decoded, Reference.resized(smooth, 100, 60))).isGreaterThanOrEqualTo(30);
    }

    @Test
    void webpOutputDecodesWithTheExpectedSizeAndKeepsAlpha() {
        Pixels withAlpha = TestImages.photoLike(64, 48, 4, 8, 31);
        ProcessedImage result = run(TestImages.encode(withAlpha, ".png"), OutputFormat.WEBP, 0, new Rotate(90));

        assertThat(result.contentType()).isEqualTo("image/webp");
        Pixels decoded = TestImages.decode(result.output());
        assertThat(decoded.width()).isEqualTo(48);
        assertThat(decoded.height()).isEqualTo(64);
        assertThat(decoded.channels()).isEqualTo(4);
    }

    @Test
    void qualityChangesTheSize() {
        byte[] image = TestImages.encode(TestImages.photoLike(300, 200, 3, 8, 32), ".png");
        for (OutputFormat format : new OutputFormat[] {OutputFormat.JPEG, OutputFormat.WEBP}) {
            int low = run(image, format, 10).output().length;
            int standard = run(image, format, 0).output().length;
            int high = run(image, format, 95).output().length;
            assertThat(low).as(format + " q10 < default").isLessThan(standard);
            assertThat(standard).as(format + " default < q95").isLessThan(high);
        }
    }

    @Test
    void sixteenBitWithAlphaBecomesEightBitJpegWithoutAlpha() {
        Pixels deep = TestImages.photoLike(40, 30, 4, 16, 33);
        Pixels decoded = TestImages.decode(run(TestImages.encode(deep, ".png"), OutputFormat.JPEG, 0).output());

        assertThat(decoded.channels()).isEqualTo(3);
        assertThat(decoded.bitDepth()).isEqualTo(8);
        assertThat(decoded.width()).isEqualTo(40);
    }

    @Test
    void grayBecomesAGrayJpeg() {
        Pixels gray = TestImages.photoLike(40, 30, 1, 8, 34);
        Pixels decoded = TestImages.decode(run(TestImages.encode(gray, ".png"), OutputFormat.JPEG, 90).output());

        assertThat(decoded.channels()).isEqualTo(1);
        assertThat(decoded.height()).isEqualTo(30);
    }
}
