package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Gauge;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.cli.StreamingUpload;
import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.ops.metrics.MetricNames;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.LargeImages;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large images over gRPC: a 12 MP photo through the streaming rpc with a client that keeps gRPC's
 * default 4 MiB limits, and through unary with raised limits; uploads over the byte limit refused
 * early; clients that cancel or stop reading leave nothing behind.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamingGrpcTest {
    static final int LIMIT_MIB = 24;
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("limits.maxInputSize", LIMIT_MIB + "MiB"),
            ConfigOverride.config("grpc.streamIdleTimeout", "1s"));

    private static ManagedChannel defaultLimits;
    private static byte[] photo12mp;

    @BeforeAll
    static void setUp() {
        // No maxInboundMessageSize: gRPC's default 4 MiB, as in every stock client.
        defaultLimits = NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP)).usePlaintext().build();
        photo12mp = LargeImages.photo(4000, 3000, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
    }

    @AfterAll
    static void tearDown() {
        defaultLimits.shutdownNow();
    }

    @Test
    void twelveMegapixelPhotoRoundTripsOverStreamingWithDefaultClientLimits() throws Exception {
        byte[] png = StreamingUpload.process(ImageServiceGrpc.newStub(defaultLimits).withDeadlineAfter(60, TimeUnit.SECONDS),
                photo12mp);

        assertThat(png.length).as("the PNG is larger than one default-limit message").isGreaterThan(4 << 20);
        assertThat(LargeImages.firstSwapMismatch(LargeImages.decodeSamples(photo12mp), LargeImages.decodeSamples(png)))
                .isEqualTo(-1);
        assertAdmissionIdle();
    }

    @Test
    void twelveMegapixelPhotoFailsOverUnaryWithDefaultLimitsButWorksWithRaisedOnes() throws InterruptedException {
        ImageRequest request = ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(photo12mp)).build();

        assertThatThrownBy(() -> ImageServiceGrpc.newBlockingStub(defaultLimits).withDeadlineAfter(60, TimeUnit.SECONDS)
                .processImage(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));

        ManagedChannel raised = NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP))
                .usePlaintext().maxInboundMessageSize(256 << 20).build();
        try {
            byte[] png = ImageServiceGrpc.newBlockingStub(raised).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .processImage(request).getImageData().toByteArray();
            assertThat(LargeImages.firstSwapMismatch(LargeImages.decodeSamples(photo12mp), LargeImages.decodeSamples(png)))
                    .isEqualTo(-1);
        } finally {
            raised.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUploadOverTheByteLimitIsRefusedBeforeItIsAllSent() throws Exception {
        int chunks = LIMIT_MIB * 4; // four times the limit, in 1 MiB chunks
        byte[] chunk = new byte[1 << 20];
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Status> outcome = new CompletableFuture<>();
        ImageServiceGrpc.newStub(defaultLimits).withDeadlineAfter(60, TimeUnit.SECONDS)
                .processImageStream(new ClientResponseObserver<ImageChunk, ImageChunk>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<ImageChunk> requests) {
                        requests.setOnReadyHandler(() -> {
                            while (requests.isReady() && sent.get() < chunks && !outcome.isDone()) {
                                requests.onNext(ImageChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(chunk)).build());
                                sent.incrementAndGet();
                            }
                            if (sent.get() == chunks) {
                                requests.onCompleted();
                            }
                        });
                    }

                    @Override
                    public void onNext(ImageChunk value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        outcome.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        outcome.complete(Status.OK);
                    }
                });

        Status status = outcome.get(60, TimeUnit.SECONDS);

        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("larger than the limit of " + (LIMIT_MIB << 20) + " bytes (" + LIMIT_MIB + ".0 MiB)");
        assertThat(sent.get()).as("chunks sent before the refusal").isLessThan(chunks);
        assertAdmissionIdle();
    }

    @Test
    void aClientThatCancelsMidUploadLeavesNothingBehind() throws Exception {
        CompletableFuture<Status> outcome = new CompletableFuture<>();
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<ImageChunk>[] call = new ClientCallStreamObserver[1];
        ImageServiceGrpc.newStub(defaultLimits).processImageStream(new ClientResponseObserver<ImageChunk, ImageChunk>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ImageChunk> requests) {
                call[0] = requests;
            }

            @Override
            public void onNext(ImageChunk value) {
            }

            @Override
            public void onError(Throwable t) {
                outcome.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                outcome.complete(Status.OK);
            }
        });
        for (int i = 0; i < 3; i++) {
            call[0].onNext(ImageChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(photo12mp, i * 100_000, 100_000)).build());
        }

        call[0].cancel("changed my mind", null);

        assertThat(outcome.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
        assertNextCallWorks();
        assertAdmissionIdle();
    }

    @Test
    void aClientThatStopsReadingIsEndedAfterTheIdleTimeoutAndLeavesNothingBehind() throws Exception {
        long resetBefore = handled("CANCELLED");
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<ImageChunk>[] call = new ClientCallStreamObserver[1];
        ImageServiceGrpc.newStub(defaultLimits).processImageStream(new ClientResponseObserver<ImageChunk, ImageChunk>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ImageChunk> requests) {
                call[0] = requests;
                requests.disableAutoRequestWithInitial(0); // never asks for a single answer chunk
            }

            @Override
            public void onNext(ImageChunk value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        for (int offset = 0; offset < photo12mp.length; offset += StreamingUpload.CHUNK_BYTES) {
            int length = Math.min(StreamingUpload.CHUNK_BYTES, photo12mp.length - offset);
            call[0].onNext(ImageChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(photo12mp, offset, length)).build());
        }
        call[0].onCompleted();

        // The server processes the image, sends what flow control allows, then waits for a reader
        // that never comes; after the 1 s idle timeout it resets the call (a status would wait behind
        // the unread chunks), which the server's metrics count as CANCELLED.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (handled("CANCELLED") == resetBefore) {
            assertThat(System.nanoTime()).as("the stalled call was never ended").isLessThan(until);
            Thread.sleep(50);
        }
        call[0].cancel("done", null);
        assertNextCallWorks();
        assertAdmissionIdle();
    }

    private static long handled(String code) {
        var meter = APP.getEnvironment().metrics().getMeters()
                .get(MetricNames.grpcHandled("image.ImageService/ProcessImageStream", code));
        return meter == null ? 0 : meter.getCount();
    }

    private static void assertNextCallWorks() throws InterruptedException {
        TestImages.Pixels small = TestImages.photoLike(32, 24, 3, 8, 51);
        byte[] png = StreamingUpload.process(ImageServiceGrpc.newStub(defaultLimits).withDeadlineAfter(30, TimeUnit.SECONDS),
                TestImages.encode(small, ".png"));
        assertThat(TestImages.decode(png)).isEqualTo(small.swapped());
    }

    /**
     * Everything given back. An answer's memory is given back when the server's transport reports
     * its last byte written, which can come a moment after the client has read that byte: so this
     * waits (at most 10 s) for the gauges to reach 0 rather than reading them once.
     */
    private static void assertAdmissionIdle() throws InterruptedException {
        var gauges = APP.getEnvironment().metrics().getGauges();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until && !(gauge(gauges, MetricNames.ADMISSION_IN_FLIGHT).equals(0)
                && gauge(gauges, MetricNames.ADMISSION_QUEUED).equals(0) && gauge(gauges, MetricNames.MEMORY_IN_USE).equals(0L))) {
            Thread.sleep(20);
        }
        assertThat(gauge(gauges, MetricNames.ADMISSION_IN_FLIGHT)).isEqualTo(0);
        assertThat(gauge(gauges, MetricNames.ADMISSION_QUEUED)).isEqualTo(0);
        assertThat(gauge(gauges, MetricNames.MEMORY_IN_USE)).isEqualTo(0L);
    }

    @SuppressWarnings("rawtypes")
    private static Object gauge(java.util.Map<String, Gauge> gauges, String name) {
        return gauges.get(name).getValue();
    }
}
