package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ReadAheadGate;
import dev.imageservice.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ProcessImage} calls whose messages the server has not asked for yet, on a real Netty
 * server with the shipped flow-control window: many of them on one connection do not stop the
 * calls that are read and admitted (the connection's window is refilled as data arrives, each
 * unread call holds at most its stream's window), and every call ends with its exact answer.
 */
class UnreadCallsGrpcTest {
    private static final Limits LIMITS = new Limits(8 << 20, 4_000_000, 1, 256 << 20, 200, TimeUnit.SECONDS.toNanos(60));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AdmissionController budget = new AdmissionController(LIMITS);
    private GrpcServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
        timer.shutdownNow();
        threads.shutdownNow();
    }

    @Test
    void manyUnreadCallsOnOneConnectionDoNotStopTheReadOnes() throws Exception {
        // One input read ahead of admission at a time: every other call waits unread.
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 1, timer);
        GrpcServerFactory config = new GrpcServerFactory();
        config.setPort(0);
        config.setBindHost("127.0.0.1");
        NettyServerBuilder builder = config.serverBuilder();
        server = new GrpcServer(builder, config.configureConnections(builder),
                List.of(new ImageGrpcService(PipelineImageProcessor.channelSwapToPng(LIMITS,
                        dev.imageservice.processing.codec.Codecs.FAST, budget, threads), budget, gate,
                        LIMITS.maxInputBytes(), TimeUnit.SECONDS.toNanos(30), timer)),
                List.of(), threads, threads, LIMITS.maxInputBytes(), TimeUnit.SECONDS.toNanos(5));
        server.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        // Noise: the PNG is larger than a stream's window (256 KiB), so each unread call fills its window.
        TestImages.Pixels pixels = TestImages.photoLike(1200, 900, 3, 8, 7);
        byte[] png = TestImages.encode(pixels, ".png");
        assertThat(png.length).isGreaterThan(300 * 1024);
        ImageRequest request = ImageRequest.newBuilder().setImageData(ByteString.copyFrom(png)).build();

        AtomicInteger mostWaiting = new AtomicInteger();
        AtomicLong mostInputs = new AtomicLong();
        java.util.concurrent.ScheduledFuture<?> sampler = timer.scheduleAtFixedRate(() -> {
            mostWaiting.accumulateAndGet(gate.waiting(), Math::max);
            mostInputs.accumulateAndGet(gate.readingAhead(), Math::max);
        }, 0, 2, TimeUnit.MILLISECONDS);
        List<ListenableFuture<ImageResponse>> calls = new ArrayList<>();
        ImageServiceGrpc.ImageServiceFutureStub stub = ImageServiceGrpc.newFutureStub(channel);
        for (int i = 0; i < 30; i++) {
            calls.add(stub.withDeadlineAfter(120, TimeUnit.SECONDS).processImage(request));
        }
        for (ListenableFuture<ImageResponse> call : calls) {
            assertThat(TestImages.decode(call.get(120, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(pixels.swapped());
        }
        sampler.cancel(false);

        assertThat(mostWaiting.get()).as("calls waiting unread at once").isGreaterThanOrEqualTo(15);
        assertThat(mostInputs.get()).as("most input bytes read ahead of admission").isLessThanOrEqualTo(png.length + 64);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (budget.bytesInUse() != 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(budget.bytesInUse()).isZero();
        assertThat(gate.readingAhead()).isZero();
        assertThat(gate.waiting()).isZero();
    }
}
