package dev.imageservice.processing.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.OutputFormat;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.RequestContext;
import dev.imageservice.processing.operation.SwapChannels;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad options are refused as INVALID_OPTIONS with a message naming the operation and parameter. */
class OptionsValidationTest {
    private final ImageProcessor processor = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS);
    private final byte[] png = TestImages.encode(TestImages.photoLike(320, 240, 3, 8, 51), ".png");

    private void refused(OutputFormat format, String message, ImageOperation... operations) {
        assertThatThrownBy(() -> processor.process(EncodedImage.of(png),
                new ProcessingOptions(List.of(operations), format, 0), RequestContext.NONE))
                .isInstanceOfSatisfying(ImageProcessingException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ImageProcessingException.Kind.INVALID_OPTIONS);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void cropOutsideTheImage() {
        refused(OutputFormat.PNG, "operation 2 (crop:300:0:50:10): the rectangle 50x10 at 300,0 is outside the 240x320 image",
                new Rotate(90), new Crop(300, 0, 50, 10));
    }

    @Test
    void resultBeyondThePixelLimit() {
        refused(OutputFormat.PNG, "operation 1 (resize:10000:10000:fill): the result would be 10000x10000 = 100 MP; the limit is 50 MP",
                new Resize(10000, 10000, Resize.Fit.FILL));
        refused(OutputFormat.PNG, "operation 1 (resize:0:60000:contain)", new Resize(0, 60000, Resize.Fit.CONTAIN));
    }

    @Test
    void resultBeyondTheFormatsSize() {
        refused(OutputFormat.WEBP, "format: a WEBP image is at most 16383 pixels wide and high; the result would be 20000x10",
                new Resize(20000, 10, Resize.Fit.FILL));
    }

    @Test
    void badParametersNameThemselves() {
        assertThatThrownBy(() -> new Rotate(45)).hasMessage("degrees must be 90, 180 or 270, not 45");
        assertThatThrownBy(() -> new Resize(0, 0, Resize.Fit.CONTAIN)).hasMessageContaining("width and height cannot both be 0");
        assertThatThrownBy(() -> new Crop(0, 0, 0, 5)).hasMessageContaining("width and height must be 1 or more");
        assertThatThrownBy(() -> new Flip(false, false)).hasMessageContaining("horizontal, vertical or both");
        assertThatThrownBy(() -> OperationSyntax.parse("blur:3")).hasMessageContaining("unknown operation 'blur'");
        assertThatThrownBy(() -> OperationSyntax.parse("resize:a:5")).hasMessageContaining("width must be a whole number");
    }

    @Test
    void moreThanSixteenOperationsOrAQualityOutOfRange() {
        List<ImageOperation> seventeen = Collections.nCopies(17, new SwapChannels());
        assertThatThrownBy(() -> new ProcessingOptions(seventeen, OutputFormat.PNG, 0))
                .hasMessage("operations: 17 operations; at most 16 are allowed");
        assertThat(new ProcessingOptions(Collections.nCopies(16, new SwapChannels()), OutputFormat.PNG, 0).operations())
                .hasSize(16);
        assertThatThrownBy(() -> new ProcessingOptions(List.of(), OutputFormat.JPEG, 101))
                .hasMessageContaining("quality must be 1-100");
    }

    @Test
    void syntaxRoundTrips() {
        for (String text : new String[] {"swap", "gray", "orient", "rotate:270", "flip:hv", "crop:1:2:3:4", "resize:800:0:contain",
                "resize:10:20:cover", "resize:10:20:fill"}) {
            assertThat(OperationSyntax.parse(text).toString()).isEqualTo(text);
        }
        assertThat(OperationSyntax.parse("resize:800:600")).isEqualTo(new Resize(800, 600, Resize.Fit.CONTAIN));
    }
}
