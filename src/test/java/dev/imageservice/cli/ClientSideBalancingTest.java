package dev.imageservice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.config.ProcessingFactory;
import dev.imageservice.cli.bench.Bench;
import dev.imageservice.cli.bench.BenchImage;
import dev.imageservice.cli.bench.BenchOptions;
import dev.imageservice.cli.bench.BenchReport;
import dev.imageservice.cli.bench.BenchTarget;
import dev.imageservice.grpc.GrpcServer;
import dev.imageservice.grpc.GrpcServerFactory;
import dev.imageservice.grpc.ImageGrpcService;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The channels of {@code client} and {@code bench} against two real gRPC servers (the service's
 * own server and image service, on ports of their own): calls spread over both with round_robin,
 * and a call one server refuses with UNAVAILABLE is retried on the other.
 */
class ClientSideBalancingTest {
    private final List<GrpcServer> servers = new ArrayList<>();
    private ManagedChannel channel;

    @BeforeAll
    static void loadOpenCv() {
        OpenCvLibrary.load();
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (GrpcServer server : servers) {
            server.stopAccepting();
            server.stop();
        }
    }

    @Test
    void callsOfOneChannelAreSpreadOverEveryServerOfTheTarget() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        int a = start(counting(first));
        int b = start(counting(second));
        channel = GrpcChannels.forTarget("127.0.0.1:" + a + ",127.0.0.1:" + b).build();
        TestImages.Pixels photo = TestImages.photoLike(48, 32, 3, 8, 5);
        ImageRequest request = request(TestImages.encode(photo, ".png"));

        // round_robin picks among the connections that are ready; on a busy machine the second may
        // connect only after a few calls. Call until both have served one (or give up after 30 s).
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((first.get() == 0 || second.get() == 0) && System.nanoTime() < giveUp) {
            ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).processImage(request);
        }
        assertThat(second.get()).as("calls to the second server while connecting").isPositive();
        int firstBefore = first.get();
        int secondBefore = second.get();

        for (int i = 0; i < 20; i++) {
            byte[] png = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .processImage(request).getImageData().toByteArray();
            assertThat(TestImages.decode(png)).isEqualTo(photo.swapped());
        }

        // Both connections ready: an even split.
        assertThat(first.get() - firstBefore + second.get() - secondBefore).isEqualTo(20);
        assertThat(first.get() - firstBefore).as("calls to the first server").isBetween(8, 12);
        assertThat(second.get() - secondBefore).as("calls to the second server").isBetween(8, 12);
    }

    @Test
    void aCallRefusedUnavailableByOneServerIsRetriedOnTheOther() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        int refusing = start(refusingUnavailable(refused));
        int serving = start(counting(served));
        channel = GrpcChannels.forTarget("127.0.0.1:" + refusing + ",127.0.0.1:" + serving).build();
        TestImages.Pixels photo = TestImages.photoLike(40, 30, 3, 8, 6);
        ImageRequest request = request(TestImages.encode(photo, ".png"));

        for (int i = 0; i < 10; i++) {
            byte[] png = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .processImage(request).getImageData().toByteArray();
            assertThat(TestImages.decode(png)).isEqualTo(photo.swapped());
        }

        assertThat(refused.get()).as("attempts the refusing server saw").isPositive();
        assertThat(served.get()).as("calls the other server processed").isEqualTo(10);
    }

    @Test
    void aServerWhoseHealthSaysNotServingGetsNoCalls() throws Exception {
        AtomicInteger draining = new AtomicInteger();
        AtomicInteger serving = new AtomicInteger();
        HealthStatusManager drainingHealth = new HealthStatusManager();
        drainingHealth.setStatus(ImageServiceGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        HealthStatusManager servingHealth = new HealthStatusManager();
        servingHealth.setStatus(ImageServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        int a = start(counting(draining), drainingHealth);
        int b = start(counting(serving), servingHealth);
        channel = GrpcChannels.forTarget("127.0.0.1:" + a + ",127.0.0.1:" + b).build();
        ImageRequest request = request(TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 2), ".png"));

        for (int i = 0; i < 10; i++) {
            ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).processImage(request);
        }

        // The shipped config's healthCheckConfig: the client watches each server's gRPC health.
        assertThat(draining.get()).as("calls to the server that says NOT_SERVING").isZero();
        assertThat(serving.get()).isEqualTo(10);
    }

    @Test
    void withoutRetriesTheRefusalReachesTheCaller() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        int refusing = start(refusingUnavailable(refused));
        channel = GrpcChannels.forTarget("127.0.0.1:" + refusing, false).build();
        ImageRequest request = request(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".png"));

        Status status = null;
        try {
            ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).processImage(request);
        } catch (RuntimeException e) {
            status = Status.fromThrowable(e);
        }

        assertThat(status).isNotNull();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.get()).isEqualTo(1);
    }

    @Test
    void benchSpreadsItsLoadOverSeveralTargets() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        int a = start(counting(first));
        int b = start(counting(second));
        BenchImage image = BenchImage.of("photo.jpg", TestImages.encode(TestImages.photoLike(96, 64, 3, 8, 7), ".jpg"));
        BenchOptions options = BenchOptions.of(BenchTarget.parse("grpc://127.0.0.1:" + a + ",127.0.0.1:" + b),
                List.of(image), 4, Duration.ofSeconds(3));

        BenchReport report = Bench.run(options);

        assertThat(report.failed()).isZero();
        assertThat(report.requests()).isGreaterThanOrEqualTo(6);
        long total = first.get() + second.get();
        assertThat(total).isGreaterThanOrEqualTo(report.requests());
        assertThat(first.get()).as("calls to the first server of " + total).isGreaterThanOrEqualTo((int) (total * 0.3));
        assertThat(second.get()).as("calls to the second server of " + total).isGreaterThanOrEqualTo((int) (total * 0.3));
    }

    private int start(ServerInterceptor interceptor) throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(ImageServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return start(interceptor, health);
    }

    /** A real server of the service's own making, on a free port, with the real processor. */
    private int start(ServerInterceptor interceptor, HealthStatusManager health) throws Exception {
        GrpcServerFactory factory = new GrpcServerFactory();
        factory.setPort(0);
        factory.setBindHost("127.0.0.1");
        io.dropwizard.lifecycle.setup.LifecycleEnvironment lifecycle =
                new io.dropwizard.lifecycle.setup.LifecycleEnvironment(new com.codahale.metrics.MetricRegistry());
        dev.imageservice.processing.AdmissionController budget =
                new dev.imageservice.processing.AdmissionController(TestLimits.DEFAULTS);
        java.util.concurrent.ScheduledExecutorService timer = lifecycle.scheduledExecutorService("test-timer-%d", true).build();
        List<BindableService> services = new ArrayList<>(List.of(new ImageGrpcService(
                new ProcessingFactory().build(TestLimits.DEFAULTS, budget, java.util.concurrent.ForkJoinPool.commonPool()),
                budget, new dev.imageservice.processing.ReadAheadGate(budget, TestLimits.DEFAULTS,
                        dev.imageservice.processing.ReadAheadGate.defaultReadAheadBytes(budget), timer),
                64 << 20, TimeUnit.SECONDS.toNanos(30), timer)));
        if (health != null) {
            services.add(health.getHealthService());
        }
        GrpcServer server = factory.build(lifecycle, services, List.of(interceptor), TestLimits.DEFAULTS);
        server.start();
        servers.add(server);
        return server.getPort();
    }

    private static ImageRequest request(byte[] image) {
        return ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(image)).build();
    }

    /** Counts the image calls that complete OK on this server. */
    private static ServerInterceptor counting(AtomicInteger count) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                return next.startCall(new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        if (status.isOk()) {
                            count.incrementAndGet();
                        }
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
    }

    /** A server that is shutting down: every call is refused UNAVAILABLE before it is processed. */
    private static ServerInterceptor refusingUnavailable(AtomicInteger count) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                count.incrementAndGet();
                call.close(Status.UNAVAILABLE.withDescription("shutting down"), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        };
    }
}
