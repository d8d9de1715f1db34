package dev.imageservice.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.codec.OpenCvDecoder;
import dev.imageservice.processing.codec.OpenCvPngEncoder;
import dev.imageservice.testing.TestLimits;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class ProcessorHealthCheckTest {

    /** A real OpenCV pipeline that decodes and encodes correctly but forgets to swap. */
    static PipelineImageProcessor pipelineThatDoesNotSwap() {
        return new PipelineImageProcessor(TestLimits.DEFAULTS, new OpenCvDecoder(), new ImageOperation() {
            @Override
            public String name() {
                return "identity";
            }

            @Override
            public Mat apply(Mat source) {
                return source;
            }
        }, new OpenCvPngEncoder());
    }

    @Test
    void healthyWithTheRealPipeline() {
        HealthCheck.Result result = new ProcessorHealthCheck(PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS)).execute();

        assertThat(result.isHealthy()).as(result.getMessage()).isTrue();
        assertThat(result.getMessage()).startsWith("swapped the channels of a 3x2 PNG");
    }

    @Test
    void unhealthyWhenThePixelsAreNotSwapped() {
        HealthCheck.Result result = new ProcessorHealthCheck(pipelineThatDoesNotSwap()).execute();

        assertThat(result.isHealthy()).isFalse();
        // The first probe pixel is pure red; unswapped it stays red instead of turning blue.
        assertThat(result.getMessage()).isEqualTo("wrong pixel at (0,0) of the probe: expected #0000ff, got #ff0000");
    }

    @Test
    void unhealthyWhenTheProcessorFails() {
        HealthCheck.Result result = new ProcessorHealthCheck((input, context) -> {
            throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL, "codec crashed");
        }).execute();

        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).contains("the processor failed on the").endsWith("probe PNG: codec crashed");
        assertThat(result.getError()).isNull();
    }

    @Test
    void unhealthyWhenTheOutputIsNotAnImage() {
        PipelineImageProcessor real = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS);
        HealthCheck.Result result = new ProcessorHealthCheck((input, context) -> {
            var processed = real.process(input, context);
            return new dev.imageservice.processing.ProcessedImage(new byte[] {1, 2, 3}, processed.contentType(),
                    processed.inputFormat(), processed.info(), processed.inputBytes(), 0, 0, 0);
        }).execute();

        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo("the processor's output is not a readable image (3 bytes)");
    }
}
