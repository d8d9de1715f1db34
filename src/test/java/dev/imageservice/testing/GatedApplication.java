package dev.imageservice.testing;

import dev.imageservice.ImageServiceApplication;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.codec.Codecs;
import dev.imageservice.processing.codec.ImageDecoder;
import dev.imageservice.processing.format.ImageHeader;
import dev.imageservice.processing.operation.SwapChannels;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Mat;

/**
 * The real application (its shipped fast codecs), except that a test can hold admitted images at the door of the decoder:
 * with the gate closed, an admitted request stays in work until the test opens it. That makes
 * "requests in flight" a state the test sets up and observes, not a race it hopes to win.
 *
 * <p>Only images of at least {@value #GATED_MIN_PIXELS} pixels are held, so the health check's tiny
 * probe always passes. Dropwizard creates the application from its class, hence one static gate;
 * tests that use it must not run in parallel (they do not: one JVM runs tests one at a time).
 */
public class GatedApplication extends ImageServiceApplication {
    static final int GATED_MIN_PIXELS = 32 * 32;

    private static volatile Gate gate = Gate.open();
    private static volatile AdmissionController lastAdmission;

    /** Where admitted images wait until the test lets them through. */
    public static final class Gate {
        private final CountDownLatch opened;
        private final Semaphore entered = new Semaphore(0);

        private Gate(boolean open) {
            this.opened = new CountDownLatch(open ? 0 : 1);
        }

        public static Gate open() {
            return new Gate(true);
        }

        /** Installs a closed gate for the next requests and returns it. */
        public static Gate closeForNextRequests() {
            Gate closed = new Gate(false);
            gate = closed;
            return closed;
        }

        /** Waits until {@code count} images are held at this gate; false after the hang guard. */
        public boolean awaitHeld(int count, long timeout, TimeUnit unit) throws InterruptedException {
            return entered.tryAcquire(count, timeout, unit);
        }

        public void letThrough() {
            opened.countDown();
            if (gate == this) {
                gate = open();
            }
        }

        void pass() {
            entered.release();
            try {
                // A hang guard: a test that forgets to open the gate fails instead of hanging forever.
                if (!opened.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
        }
    }

    /** The admission controller of the processor behind the transports (to see who waits). */
    public static AdmissionController admission() {
        return lastAdmission;
    }

    @Override
    protected ImageProcessor createProcessor(Limits limits, AdmissionController admission, Executor workers) {
        lastAdmission = admission;
        return new PipelineImageProcessor(limits, admission, workers, new GatedDecoder(), new SwapChannels(),
                Codecs.FAST.pngEncoder());
    }

    /** The shipped (fast) decoder, behind the gate. */
    private static final class GatedDecoder implements ImageDecoder {
        private final ImageDecoder shipped = Codecs.FAST.decoder();

        @Override
        public Mat decode(byte[] data, ImageHeader header) {
            Mat decoded = shipped.decode(data, header);
            if ((long) decoded.cols() * decoded.rows() >= GATED_MIN_PIXELS) {
                try {
                    gate.pass();
                } catch (RuntimeException e) {
                    decoded.release();
                    throw e;
                }
            }
            return decoded;
        }
    }
}
