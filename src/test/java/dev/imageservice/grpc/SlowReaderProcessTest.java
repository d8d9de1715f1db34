package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.ops.metrics.MetricNames;
import dev.imageservice.testing.LargeImages;
import dev.imageservice.testing.ChildJvmService;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.UnreadCall;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many large answers to a client that reads slowly, all on one connection, in a service whose
 * direct memory is smaller than those answers together. Before the memory budget counted answers
 * until written, gRPC buffered them all, ran out of direct memory in {@code responses.onNext}, and
 * Netty closed the connection (GOAWAY): every call on it failed with INTERNAL. Now each call ends
 * OK with the exact pixels or RESOURCE_EXHAUSTED, and a small call on the same connection succeeds
 * meanwhile. The second test sends SIGTERM while such answers are still unread: every accepted
 * answer still arrives whole.
 */
class SlowReaderProcessTest {
    private static final int CALLS = 16;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private ChildJvmService service;
    private ManagedChannel channel;

    @AfterEach
    void cleanUp() throws InterruptedException {
        timer.shutdownNow();
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (service != null) {
            service.printOutput();
            service.close();
        }
    }

    private void start(String... extraOptions) throws Exception {
        // Outside a Dropwizard app, logback logs Netty's every frame (hex dumps included) at DEBUG.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        // Direct memory below what the unread answers add up to (16 x 7 MB), the budget below it.
        List<String> options = new ArrayList<>(List.of("-Xmx384m", "-XX:MaxDirectMemorySize=96m",
                "-Ddw.limits.memoryBudget=72MiB", "-Ddw.limits.maxConcurrent=2", "-Ddw.ops.healthCheckInterval=10m"));
        options.addAll(List.of(extraOptions));
        service = new ChildJvmService(options.toArray(String[]::new));
        // One connection, with small flow-control windows: what the client does not read stays on the server.
        channel = NettyChannelBuilder.forAddress("localhost", service.grpcPort()).usePlaintext()
                .flowControlWindow(64 * 1024).maxInboundMessageSize(64 << 20).build();
    }

    /** A unary call whose client reads nothing of the answer until {@code readAfterMillis} have passed. */
    private CompletableFuture<ImageResponse> slowCall(byte[] image, long readAfterMillis) {
        UnreadCall call = new UnreadCall(channel, image, () -> { });
        timer.schedule(call::read, readAfterMillis, TimeUnit.MILLISECONDS);
        return call.result();
    }

    @Test
    void manyLargeAnswersToASlowReaderNeverKillTheConnection() throws Exception {
        start("-Ddw.grpc.streamIdleTimeout=60s");
        byte[] jpeg = LargeImages.photo(2000, 2000, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
        byte[] expectedSamples = LargeImages.decodeSamples(jpeg);
        List<CompletableFuture<ImageResponse>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(slowCall(jpeg, 4000 + 300L * i));
        }
        // Meanwhile, a small call on the same connection, read at once.
        TestImages.Pixels small = TestImages.photoLike(64, 48, 3, 8, 5);
        byte[] smallAnswer = slowCall(TestImages.encode(small, ".png"), 0).get(90, TimeUnit.SECONDS).getImageData().toByteArray();
        assertThat(TestImages.decode(smallAnswer)).isEqualTo(small.swapped());

        int ok = 0;
        for (CompletableFuture<ImageResponse> call : calls) {
            try {
                byte[] png = call.get(120, TimeUnit.SECONDS).getImageData().toByteArray();
                assertThat(LargeImages.firstSwapMismatch(expectedSamples, LargeImages.decodeSamples(png))).isEqualTo(-1);
                ok++;
            } catch (ExecutionException e) {
                assertThat(Status.fromThrowable(e.getCause()).getCode()).as(String.valueOf(e.getCause()))
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
        }
        System.out.printf("slow reader: %d of %d large calls OK, the rest RESOURCE_EXHAUSTED%n", ok, CALLS);
        ChildJvmService.awaitTrue(() -> service.gauge(MetricNames.MEMORY_IN_USE) == 0, "the memory given back", 10);
        assertThat(ok).as("most large calls are answered").isGreaterThanOrEqualTo(CALLS / 2);
        assertThat(service.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
    }

    @Test
    void aReaderThatStallsPastTheTimeoutIsResetAndOthersGoOn() throws Exception {
        start("-Ddw.grpc.streamIdleTimeout=2s");
        byte[] jpeg = LargeImages.photo(2000, 2000, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
        // Reads nothing for 30 s; the server resets the call 2 s + 7 s (7 MB at 1 MiB/s) after its
        // answer is ready and frees it.
        CompletableFuture<ImageResponse> stalled = slowCall(jpeg, 30_000);
        ChildJvmService.awaitTrue(() -> service.output().stream().anyMatch(line -> line.contains("did not read its answer")),
                "the reset", 60);
        ChildJvmService.awaitTrue(() -> service.gauge(MetricNames.MEMORY_IN_USE) == 0, "the memory given back", 10);

        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> stalled.get(60, TimeUnit.SECONDS));
        assertThat(Status.fromThrowable(failure.getCause()).getCode()).isEqualTo(Status.Code.CANCELLED);
        TestImages.Pixels small = TestImages.photoLike(64, 48, 3, 8, 6);
        byte[] answer = slowCall(TestImages.encode(small, ".png"), 0).get(60, TimeUnit.SECONDS).getImageData().toByteArray();
        assertThat(TestImages.decode(answer)).isEqualTo(small.swapped());
        assertThat(service.output()).anyMatch(line -> line.contains("did not read its answer in time (idle timeout 2000 ms"));
    }

    @Test
    void sigtermWithUnreadAnswersStillDeliversEveryAcceptedAnswerWhole() throws Exception {
        start("-Ddw.grpc.streamIdleTimeout=60s", "-Ddw.grpc.shutdownGracePeriod=60s");
        byte[] jpeg = LargeImages.photo(1600, 1200, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
        byte[] expectedSamples = LargeImages.decodeSamples(jpeg);
        List<CompletableFuture<ImageResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(slowCall(jpeg, 3000 + 500L * i));
        }
        // All four answered by the server (logged), none read yet by the client.
        ChildJvmService.awaitTrue(() -> service.output().stream().filter(line -> line.contains("ProcessImage ok")).count() == 4,
                "four answers handed to gRPC", 60);

        service.terminate();

        for (CompletableFuture<ImageResponse> call : calls) {
            byte[] png = call.get(90, TimeUnit.SECONDS).getImageData().toByteArray();
            assertThat(LargeImages.firstSwapMismatch(expectedSamples, LargeImages.decodeSamples(png))).isEqualTo(-1);
        }
        assertThat(service.awaitExit(60)).as(String.join("\n", service.output())).isZero();
    }
}
