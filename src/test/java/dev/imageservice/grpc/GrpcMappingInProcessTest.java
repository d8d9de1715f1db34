package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How every way an image call can end maps to a status, with the real service and processor on an
 * in-process server (no port, milliseconds), and that every call gives its memory back.
 */
class GrpcMappingInProcessTest {
    private static final Limits LIMITS = new Limits(1 << 20, 1_000_000, 2, 8 << 20, 10, TimeUnit.SECONDS.toNanos(30));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AdmissionController budget = new AdmissionController(LIMITS);
    private GrpcServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop();
        timer.shutdownNow();
        threads.shutdownNow();
    }

    private ImageServiceGrpc.ImageServiceBlockingStub start(ImageProcessor processor) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = new GrpcServer(InProcessServerBuilder.forName(name), () -> { },
                List.of(new ImageGrpcService(processor, budget, LIMITS.maxInputBytes(), TimeUnit.SECONDS.toNanos(30), timer)),
                List.of(), threads, threads, LIMITS.maxInputBytes(), TimeUnit.SECONDS.toNanos(5));
        server.start();
        channel = InProcessChannelBuilder.forName(name).build();
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private ImageServiceGrpc.ImageServiceBlockingStub startPipeline() throws Exception {
        return start(PipelineImageProcessor.channelSwapToPng(LIMITS, dev.imageservice.processing.codec.Codecs.FAST, budget, threads));
    }

    private static ImageRequest request(byte[] image) {
        return ImageRequest.newBuilder().setImageData(ByteString.copyFrom(image)).build();
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }

    private void assertMemoryGivenBack() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (budget.bytesInUse() != 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(budget.bytesInUse()).as("bytes in use after the call").isZero();
        assertThat(budget.inFlight()).isZero();
    }

    @Test
    void anImageIsSwappedAndItsMemoryGivenBackOnceWritten() throws Exception {
        ImageServiceGrpc.ImageServiceBlockingStub stub = startPipeline();
        TestImages.Pixels pixels = TestImages.photoLike(40, 30, 3, 8, 1);

        byte[] png = stub.processImage(request(TestImages.encode(pixels, ".png"))).getImageData().toByteArray();

        assertThat(TestImages.decode(png)).isEqualTo(pixels.swapped());
        assertMemoryGivenBack();
    }

    @Test
    void garbageIsAnInvalidArgument() throws Exception {
        ImageServiceGrpc.ImageServiceBlockingStub stub = startPipeline();

        assertThatThrownBy(() -> stub.processImage(request(new byte[] {1, 2, 3, 4})))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("not a recognised image format");
                });
        assertMemoryGivenBack();
    }

    @Test
    void anInputTheBudgetHasNoRoomForIsRefusedAsResourceExhausted() throws Exception {
        ImageServiceGrpc.ImageServiceBlockingStub stub = startPipeline();
        AdmissionController.Lease hog = budget.tryHold(budget.inputShareBytes() - 100);

        assertThatThrownBy(() -> stub.processImage(request(TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 2), ".png"))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("not enough memory");
                });
        hog.close();
        assertMemoryGivenBack();
    }

    @Test
    void aBugIsInternalWithAnIdAndNoDetails() throws Exception {
        ImageServiceGrpc.ImageServiceBlockingStub stub = start((input, context) -> {
            throw new IllegalStateException("secret detail");
        });

        assertThatThrownBy(() -> stub.processImage(request(new byte[] {1})))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).matches("internal error \\(id [0-9a-f]{16}\\)");
                });
        assertMemoryGivenBack();
    }

    @Test
    void anOutOfMemoryErrorIsResourceExhausted() throws Exception {
        ImageServiceGrpc.ImageServiceBlockingStub stub = start((input, context) -> {
            throw new OutOfMemoryError("Java heap space");
        });

        assertThat(codeOf(() -> stub.processImage(request(new byte[] {1})))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertMemoryGivenBack();
    }

    @Test
    void afterShutdownBeganCallsAreUnavailable() throws Exception {
        ImageServiceGrpc.ImageServiceBlockingStub stub = startPipeline();
        budget.shutdown(0);

        assertThat(codeOf(() -> stub.processImage(request(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 3), ".png")))))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertMemoryGivenBack();
    }
}
