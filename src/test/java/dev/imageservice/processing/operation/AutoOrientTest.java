package dev.imageservice.processing.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.OutputFormat;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.RequestContext;
import dev.imageservice.processing.operation.SwapChannels;
import dev.imageservice.testing.ExifImages;
import dev.imageservice.testing.Reference;
import dev.imageservice.testing.TestImages.Pixels;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Auto-orientation for every EXIF orientation, 1 to 8, in a JPEG's APP1 segment (as phones write
 * it) and a PNG's eXIf chunk, against the tag's definition computed pixel by pixel in the test.
 */
class AutoOrientTest {
    private final ImageProcessor processor = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS);
    // Not square, so that a wrong rotation shows in the size too.
    private final Pixels original = TestImages.photoLike(37, 23, 3, 8, 21);

    private Pixels run(byte[] image, ImageOperation... operations) {
        return TestImages.decode(processor.process(EncodedImage.of(image),
                new ProcessingOptions(List.of(operations), OutputFormat.PNG, 0), RequestContext.NONE).output());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngWithExifOrientationIsTurnedUpright(int orientation) {
        byte[] png = ExifImages.pngWithOrientation(TestImages.encode(original, ".png"), orientation);

        assertThat(run(png, new AutoOrient())).isEqualTo(Reference.oriented(original, orientation));
        // Without the operation the pixels stay as stored, as the tutorial's server leaves them.
        assertThat(run(png, new SwapChannels())).isEqualTo(original.swapped());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegWithExifOrientationIsTurnedUpright(int orientation) {
        byte[] plain = TestImages.encode(original, ".jpg");
        Pixels stored = TestImages.decode(plain);
        byte[] jpeg = ExifImages.jpegWithOrientation(plain, orientation);

        assertThat(run(jpeg, new AutoOrient())).isEqualTo(Reference.oriented(stored, orientation));
        assertThat(run(jpeg, new AutoOrient(), new SwapChannels()))
                .isEqualTo(Reference.oriented(stored, orientation).swapped());
    }
}
