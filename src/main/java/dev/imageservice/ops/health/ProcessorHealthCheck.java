package dev.imageservice.ops.health;

import com.codahale.metrics.health.HealthCheck;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.RequestContext;
import java.util.concurrent.TimeUnit;
import dev.imageservice.processing.ProcessedImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Runs the real processor on a tiny PNG and checks every output pixel: red and blue must have traded
 * places. This proves that the native codecs load, decode, transform and encode, not just that an
 * object exists. The probe is encoded and the answer decoded with javax.imageio, independently of
 * OpenCV, so a codec that goes wrong cannot agree with itself.
 *
 * <p>Give it the bare processor, not the metered one, so that health checks never count as traffic.
 */
public final class ProcessorHealthCheck extends HealthCheck {
    /** The probe's pixels as 0xRRGGBB, row by row: distinct values in every channel. */
    private static final int[][] PROBE = {
            {0xFF0000, 0x00FF00, 0x0000FF},
            {0x102030, 0xC08040, 0xFFFFFF},
    };
    private static final byte[] PROBE_PNG = encodeProbe();
    private static final long PROBE_ADMISSION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ImageProcessor processor;

    public ProcessorHealthCheck(ImageProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    @Override
    protected Result check() {
        long start = System.nanoTime();
        ProcessedImage result;
        try {
            result = processor.process(PROBE_PNG.clone(),
                    RequestContext.withDeadline(PROBE_ADMISSION_WAIT_NANOS, () -> false));
        } catch (ImageProcessingException e) {
            if (e.kind() == ImageProcessingException.Kind.OVERLOADED
                    || e.kind() == ImageProcessingException.Kind.DEADLINE_EXCEEDED) {
                // At capacity is not broken: the probe waits in the same queue as real work, and a
                // probe that restarts a busy instance would turn load into an outage.
                return Result.healthy("busy: the probe was not admitted within %d s (%s)",
                        TimeUnit.NANOSECONDS.toSeconds(PROBE_ADMISSION_WAIT_NANOS), e.getMessage());
            }
            return Result.unhealthy("the processor failed on the %d-byte probe PNG: %s", PROBE_PNG.length, e.getMessage());
        } catch (RuntimeException e) {
            return Result.unhealthy("the processor failed on the %d-byte probe PNG: %s", PROBE_PNG.length, e.getMessage());
        }
        BufferedImage output;
        try {
            output = ImageIO.read(new ByteArrayInputStream(result.output()));
        } catch (IOException e) {
            output = null;
        }
        if (output == null) {
            return Result.unhealthy("the processor's output is not a readable image (%d bytes)", result.output().length);
        }
        int height = PROBE.length;
        int width = PROBE[0].length;
        if (output.getWidth() != width || output.getHeight() != height) {
            return Result.unhealthy("the processor turned the %dx%d probe into %dx%d",
                    width, height, output.getWidth(), output.getHeight());
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int expected = swapRedBlue(PROBE[y][x]);
                int actual = output.getRGB(x, y) & 0xFFFFFF;
                if (actual != expected) {
                    return Result.unhealthy("wrong pixel at (%d,%d) of the probe: expected #%06x, got #%06x",
                            x, y, expected, actual);
                }
            }
        }
        return Result.healthy("swapped the channels of a %dx%d PNG in %.1f ms",
                width, height, (System.nanoTime() - start) / 1e6);
    }

    private static int swapRedBlue(int rgb) {
        return (rgb & 0x00FF00) | ((rgb >> 16) & 0xFF) | ((rgb & 0xFF) << 16);
    }

    private static byte[] encodeProbe() {
        BufferedImage image = new BufferedImage(PROBE[0].length, PROBE.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < PROBE.length; y++) {
            for (int x = 0; x < PROBE[y].length; x++) {
                image.setRGB(x, y, PROBE[y][x]);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("javax.imageio has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
