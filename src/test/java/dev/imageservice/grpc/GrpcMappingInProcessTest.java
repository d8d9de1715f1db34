package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ReadAheadGate;
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
    private final ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, ReadAheadGate.defaultReadAheadBytes(budget), timer);
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
                List.of(new ImageGrpcService(processor, budget, gate, LIMITS.maxInputBytes(), TimeUnit.SECONDS.toNanos(30), timer)),
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
        assertThat(gate.readingAhead()).isZero();
        assertThat(gate.waiting()).isZero();
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
    void anInputTheBudgetHasNoRoomForWaitsUnreadUntilThereIsRoom() throws Exception {
        startPipeline();
        AdmissionController.Lease hog = budget.tryHold(budget.inputShareBytes() - 100);
        TestImages.Pixels pixels = TestImages.photoLike(40, 30, 3, 8, 2);

        ListenableFuture<ImageResponse> answer = futureStub().processImage(request(TestImages.encode(pixels, ".png")));
        awaitWaiting(1);
        Thread.sleep(200);

        assertThat(answer.isDone()).as("answered while the budget had no room").isFalse();
        assertThat(budget.bytesInUse()).as("the waiting call's message counted").isEqualTo(hog.bytes());
        assertThat(gate.readingAhead()).isZero();
        hog.close();
        assertThat(TestImages.decode(answer.get(30, TimeUnit.SECONDS).getImageData().toByteArray()))
                .isEqualTo(pixels.swapped());
        assertMemoryGivenBack();
    }

    @Test
    void aCallWaitingUnreadEndsAtItsDeadlineOrWhenCancelledAndLeavesTheQueue() throws Exception {
        startPipeline();
        AdmissionController.Lease hog = budget.tryHold(budget.inputShareBytes() - 100);
        ImageRequest request = request(TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 2), ".png"));

        assertThat(codeOf(() -> ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .processImage(request))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        awaitWaiting(0);
        ListenableFuture<ImageResponse> cancelled = futureStub().processImage(request);
        awaitWaiting(1);
        cancelled.cancel(true);
        awaitWaiting(0);

        assertThat(budget.bytesInUse()).isEqualTo(hog.bytes());
        hog.close();
        assertMemoryGivenBack();
    }

    @Test
    void whenTheQueueIsFullAnUnreadCallIsRefusedAsResourceExhausted() throws Exception {
        startPipeline();
        AdmissionController.Lease hog = budget.tryHold(budget.inputShareBytes() - 100);
        ImageRequest request = request(TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 2), ".png"));
        List<ListenableFuture<ImageResponse>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < LIMITS.maxQueued(); i++) {
            waiting.add(futureStub().processImage(request));
        }
        awaitWaiting(LIMITS.maxQueued());

        assertThatThrownBy(() -> ImageServiceGrpc.newBlockingStub(channel).processImage(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("waiting (the limit)");
                });
        hog.close();
        for (ListenableFuture<ImageResponse> each : waiting) {
            assertThat(each.get(30, TimeUnit.SECONDS).getImageData().isEmpty()).isFalse();
        }
        assertMemoryGivenBack();
    }

    private ImageServiceGrpc.ImageServiceFutureStub futureStub() {
        return ImageServiceGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private void awaitWaiting(int calls) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.waiting() != calls && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(gate.waiting()).as("calls waiting unread").isEqualTo(calls);
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
