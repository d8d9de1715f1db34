package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.testing.ChildJvmService;
import dev.imageservice.testing.LargeImages;
import dev.imageservice.testing.UnreadCall;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while answers, not work, are the bottleneck: one client on one connection reads one
 * answer every {@link #READ_EVERY_MILLIS} ms, in the order they become ready (as a client with a
 * thin pipe would), the memory budget holds only a few unwritten answers,
 * so the queue moves as fast as the client reads, and many calls still wait when the signal comes.
 * Images take a fraction of that to process. Before the shutdown counted the writing of answers,
 * the waiters that the work alone could finish in the grace period were started, their answers were
 * not yet read when it ended, and those calls were reset (CANCELLED). Now each call gets its whole,
 * exact answer or, at once or when its turn comes, UNAVAILABLE "shutting down"; the process exits 0.
 * Nothing here depends on how fast the machine is: the pace of reading is the client's schedule.
 */
class SigtermSlowReadersProcessTest {
    private static final int CALLS = 20;
    private static final long READ_EVERY_MILLIS = 1500;
    /** Calls whose answer is ready (its headers arrived) and not yet asked for, oldest first. */
    private final java.util.Queue<UnreadCall> ready = new java.util.concurrent.ConcurrentLinkedQueue<>();
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

    @Test
    void sigtermWhileAnswersWaitForASlowReaderCutsNone() throws Exception {
        // Outside a Dropwizard app, logback logs Netty's every frame at DEBUG.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        // 44 MiB: 15 MiB for work and unwritten answers, one 1600x1200 JPEG in work (8 MiB: it works in
        // its worker's kept buffers, Limits.ownWorkBytes) and two or three of its answers (2-3 MB each)
        // waiting for the client.
        service = new ChildJvmService("-Xmx384m", "-Ddw.limits.memoryBudget=44MiB", "-Ddw.limits.maxConcurrent=1",
                "-Ddw.grpc.shutdownGracePeriod=8s", "-Ddw.server.shutdownGracePeriod=8s",
                "-Ddw.grpc.streamIdleTimeout=60s", "-Ddw.ops.healthCheckInterval=10m");
        // Small flow-control windows: what the client has not asked for stays on the server.
        channel = NettyChannelBuilder.forAddress("localhost", service.grpcPort()).usePlaintext()
                .flowControlWindow(64 * 1024).maxInboundMessageSize(64 << 20).build();
        byte[] jpeg = LargeImages.photo(1600, 1200, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        byte[] expectedSamples = LargeImages.decodeSamples(jpeg);

        List<CompletableFuture<ImageResponse>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            UnreadCall[] call = new UnreadCall[1];
            call[0] = new UnreadCall(channel, jpeg, () -> ready.add(call[0]));
            calls.add(call[0].result());
        }
        timer.scheduleAtFixedRate(() -> {
            UnreadCall next = ready.poll();
            if (next != null) {
                next.read();
            }
        }, READ_EVERY_MILLIS, READ_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        // Four answers read: the service has seen how fast this client reads.
        ChildJvmService.awaitTrue(() -> calls.stream().filter(Future::isDone).count() >= 4, "four answers read", 90);
        service.terminate();

        int answered = 0;
        int refused = 0;
        for (CompletableFuture<ImageResponse> call : calls) {
            try {
                byte[] png = call.get(90, TimeUnit.SECONDS).getImageData().toByteArray();
                assertThat(LargeImages.firstSwapMismatch(expectedSamples, LargeImages.decodeSamples(png))).isEqualTo(-1);
                answered++;
            } catch (ExecutionException e) {
                Status status = Status.fromThrowable(e.getCause());
                assertThat(status.getCode()).as("call %d: %s", calls.indexOf(call), status).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(status.getDescription()).contains("shutting down");
                refused++;
            }
        }
        System.out.printf("SIGTERM with a slow reader: %d of %d calls answered whole, %d refused as shutting down%n",
                answered, CALLS, refused);
        assertThat(service.awaitExit(60)).as(String.join("\n", service.output())).isZero();
        assertThat(answered).as("the answers read before the signal at least").isGreaterThanOrEqualTo(4);
    }
}
