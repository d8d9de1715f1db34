package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.processing.ImageInfo;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.RequestContext;
import dev.imageservice.testing.TestLimits;
import io.dropwizard.util.Duration;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Graceful stop: calls in flight finish, new calls are refused. */
class GrpcServerShutdownTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AdmissionController budget = new AdmissionController(TestLimits.DEFAULTS);

    private AdmissionController budget() {
        return budget;
    }

    private dev.imageservice.processing.ReadAheadGate gate() {
        return new dev.imageservice.processing.ReadAheadGate(budget, TestLimits.DEFAULTS,
                dev.imageservice.processing.ReadAheadGate.defaultReadAheadBytes(budget), timer);
    }
    private final ExecutorService calls = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        timer.shutdownNow();
        calls.shutdownNow();
    }

    private GrpcServer server(Duration grace, BindableService... services) {
        GrpcServerFactory config = new GrpcServerFactory();
        config.setPort(0);
        config.setBindHost("127.0.0.1");
        return new GrpcServer(config.serverBuilder(), () -> { }, List.of(services), List.of(), calls, calls, 1 << 20,
                grace.toNanoseconds());
    }

    /** A processor that takes its time, so that calls are in flight when the server stops. */
    private static final class SlowProcessor implements ImageProcessor {
        final CountDownLatch started = new CountDownLatch(2);

        @Override
        public ProcessedImage process(EncodedImage image, RequestContext context) {
            byte[] input = image.bytes();
            started.countDown();
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return new ProcessedImage(input, "image/png", ImageFormat.PNG, new ImageInfo(1, 1, 3, 8), input.length, 0, 0, 0);
        }
    }

    @Test
    void callsInFlightFinishWhenTheServerStops() throws Exception {
        SlowProcessor processor = new SlowProcessor();
        GrpcServer server = server(Duration.seconds(10), new ImageGrpcService(processor,
                budget(), gate(), 1 << 20, TimeUnit.SECONDS.toNanos(30), timer));
        server.start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            ImageServiceGrpc.ImageServiceFutureStub stub = ImageServiceGrpc.newFutureStub(channel);
            ImageRequest request = ImageRequest.newBuilder().setImageData(ByteString.copyFromUtf8("payload")).build();
            ListenableFuture<ImageResponse> first = stub.processImage(request);
            ListenableFuture<ImageResponse> second = stub.processImage(request);
            assertThat(processor.started.await(5, TimeUnit.SECONDS)).isTrue();

            server.stop();

            assertThat(first.get(1, TimeUnit.SECONDS).getImageData().toStringUtf8()).isEqualTo("payload");
            assertThat(second.get(1, TimeUnit.SECONDS).getImageData().toStringUtf8()).isEqualTo("payload");
            try {
                stub.processImage(request).get(5, TimeUnit.SECONDS);
                throw new AssertionError("a call after stop must be refused");
            } catch (ExecutionException e) {
                assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void anOpenHealthWatchDoesNotHoldTheStopForTheWholeGracePeriod() throws Exception {
        io.grpc.protobuf.services.HealthStatusManager health = new io.grpc.protobuf.services.HealthStatusManager();
        GrpcServer server = server(Duration.minutes(5), new ImageGrpcService(new SlowProcessor(),
                budget(), gate(), 1 << 20, TimeUnit.SECONDS.toNanos(30), timer),
                health.getHealthService());
        server.start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
            io.grpc.health.v1.HealthGrpc.newStub(channel).watch(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance(),
                    new io.grpc.stub.StreamObserver<>() {
                        @Override
                        public void onNext(io.grpc.health.v1.HealthCheckResponse value) {
                            watching.countDown();
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            assertThat(watching.await(10, TimeUnit.SECONDS)).isTrue();

            // A hang guard, far below the 5 minute grace period the open watch would otherwise cost.
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), server::stop);
        } finally {
            channel.shutdownNow();
        }
    }
}
