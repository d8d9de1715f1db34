package dev.imageservice.processing.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.TestImages.Pixels;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.imgcodecs.Imgcodecs;

/** The fast and the stock pipeline answer every input the same: pixels, shape and format. */
class CodecsEquivalenceTest {
    private static final PipelineImageProcessor FAST = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS, Codecs.FAST);
    private static final PipelineImageProcessor STOCK = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS, Codecs.OPENCV);

    static Stream<Arguments> inputs() {
        Pixels color = TestImages.photoLike(301, 199, 3, 8, 41);
        Pixels alpha = TestImages.photoLike(123, 77, 4, 8, 42);
        Pixels gray = TestImages.photoLike(99, 51, 1, 8, 43);
        Pixels deep = TestImages.photoLike(64, 33, 4, 16, 44);
        return Stream.of(
                Arguments.of("JPEG q90", TestImages.encode(color, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90)),
                Arguments.of("progressive JPEG", TestImages.encode(color, ".jpg", Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1)),
                Arguments.of("gray JPEG", TestImages.encode(gray, ".jpg")),
                Arguments.of("CMYK JPEG", EdgeCases.cmykJpeg()),
                Arguments.of("RGB PNG", TestImages.encode(color, ".png")),
                Arguments.of("RGBA PNG", TestImages.encode(alpha, ".png")),
                Arguments.of("gray PNG", TestImages.encode(gray, ".png")),
                Arguments.of("16-bit RGBA PNG", TestImages.encode(deep, ".png")),
                Arguments.of("palette PNG", EdgeCases.palettePng()),
                Arguments.of("16-bit TIFF", TestImages.encode(deep, ".tiff")),
                Arguments.of("lossless WebP", TestImages.encode(alpha, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101)),
                Arguments.of("BMP", TestImages.encode(color, ".bmp")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void fastAndStockGiveTheSamePixels(String name, byte[] input) {
        ProcessedImage fast = FAST.process(input);
        ProcessedImage stock = STOCK.process(input);

        assertThat(fast.info()).isEqualTo(stock.info());
        assertThat(fast.contentType()).isEqualTo(stock.contentType());
        assertThat(TestImages.decode(fast.output())).isEqualTo(TestImages.decode(stock.output()));
    }
}
