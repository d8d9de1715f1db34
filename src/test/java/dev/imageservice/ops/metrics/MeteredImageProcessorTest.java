package dev.imageservice.ops.metrics;

import dev.imageservice.testing.TestLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.testing.TestImages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MeteredImageProcessorTest {
    private final MetricRegistry metrics = new MetricRegistry();
    private final MeteredImageProcessor processor =
            new MeteredImageProcessor(PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS), metrics);

    @Test
    void timesEachCallAndStageAndRecordsSizes() {
        byte[] small = TestImages.encode(TestImages.photoLike(20, 10, 3, 8, 1), ".png");
        byte[] large = TestImages.encode(TestImages.photoLike(64, 48, 4, 16, 2), ".png");

        ProcessedImage first = processor.process(small);
        ProcessedImage second = processor.process(large);

        assertThat(metrics.timer(MetricNames.PROCESS).getCount()).isEqualTo(2);
        for (String stage : new String[] {MetricNames.STAGE_DECODE, MetricNames.STAGE_TRANSFORM, MetricNames.STAGE_ENCODE}) {
            assertThat(metrics.timer(stage).getCount()).as(stage).isEqualTo(2);
        }
        assertThat(metrics.timer(MetricNames.STAGE_DECODE).getSnapshot().getMax())
                .isEqualTo(Math.max(first.decodeNanos(), second.decodeNanos()));
        assertThat(metrics.histogram(MetricNames.INPUT_BYTES).getSnapshot().getValues())
                .containsExactlyInAnyOrder(small.length, large.length);
        assertThat(metrics.histogram(MetricNames.OUTPUT_BYTES).getSnapshot().getValues())
                .containsExactlyInAnyOrder(first.output().length, second.output().length);
        assertThat(metrics.histogram(MetricNames.DECODED_PIXELS).getSnapshot().getValues())
                .containsExactlyInAnyOrder(200, 64 * 48);
        for (ImageProcessingException.Kind kind : ImageProcessingException.Kind.values()) {
            assertThat(metrics.meter(MetricNames.failed(kind)).getCount()).as(kind.name()).isZero();
        }
    }

    @Test
    void countsFailuresByKindAndTimesThemButNoStages() {
        byte[] garbage = "not an image".getBytes(StandardCharsets.US_ASCII);
        byte[] gif = "GIF89a and then nothing".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> processor.process(garbage)).isInstanceOf(ImageProcessingException.class);
        assertThatThrownBy(() -> processor.process(new byte[0])).isInstanceOf(ImageProcessingException.class);
        assertThatThrownBy(() -> processor.process(gif)).isInstanceOf(ImageProcessingException.class);

        assertThat(metrics.timer(MetricNames.PROCESS).getCount()).isEqualTo(3);
        assertThat(metrics.meter(MetricNames.failed(ImageProcessingException.Kind.INVALID_IMAGE)).getCount()).isEqualTo(2);
        assertThat(metrics.meter(MetricNames.failed(ImageProcessingException.Kind.UNSUPPORTED_FORMAT)).getCount()).isEqualTo(1);
        assertThat(metrics.timer(MetricNames.STAGE_DECODE).getCount()).isZero();
        assertThat(metrics.histogram(MetricNames.INPUT_BYTES).getCount()).isEqualTo(3);
        assertThat(metrics.histogram(MetricNames.OUTPUT_BYTES).getCount()).isZero();
    }

    @Test
    void countsAnUnexpectedExceptionAsInternal() {
        MeteredImageProcessor broken = new MeteredImageProcessor((input, context) -> {
            throw new IllegalStateException("a bug");
        }, metrics);

        assertThatThrownBy(() -> broken.process(new byte[] {1})).isInstanceOf(IllegalStateException.class);

        assertThat(metrics.meter(MetricNames.failed(ImageProcessingException.Kind.INTERNAL)).getCount()).isEqualTo(1);
        assertThat(metrics.timer(MetricNames.PROCESS).getCount()).isEqualTo(1);
    }
}
