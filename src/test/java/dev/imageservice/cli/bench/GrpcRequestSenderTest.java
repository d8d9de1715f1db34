package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.Attributes;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the gRPC sender against a real Netty server with a stand-in service that counts connections. */
class GrpcRequestSenderTest {
    private static final int REQUESTS = 4;

    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger receivedBytes = new AtomicInteger();
    private Server server;
    private byte[] png;
    private BenchImage image;

    @BeforeEach
    void startServer() throws IOException {
        image = BenchImage.of("in.jpg", PngCheckTest.encode(7, 5, "jpg"));
        png = PngCheckTest.encode(7, 5, "png");
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new ImageServiceGrpc.ImageServiceImplBase() {
                    @Override
                    public void processImage(ImageRequest request, StreamObserver<ImageResponse> responses) {
                        receivedBytes.addAndGet(request.getImageData().size());
                        if (request.getImageData().byteAt(0) != (byte) 0xFF) {
                            responses.onError(Status.INVALID_ARGUMENT.withDescription("not a JPEG").asRuntimeException());
                            return;
                        }
                        responses.onNext(ImageResponse.newBuilder().setImageData(ByteString.copyFrom(png)).build());
                        responses.onCompleted();
                    }
                })
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        connections.incrementAndGet();
                        return attributes;
                    }
                })
                .build().start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        callbacks.shutdownNow();
    }

    private GrpcRequestSender sender(boolean newConnectionPerRequest, int channels) {
        return new GrpcRequestSender(BenchTarget.parse("grpc://127.0.0.1:" + server.getPort()), List.of(image),
                newConnectionPerRequest, channels, Duration.ofSeconds(10), callbacks);
    }

    @Test
    void successfulCallReportsThePngHeadAndSizes() throws Exception {
        Outcome outcome;
        try (GrpcRequestSender sender = sender(false, 1)) {
            outcome = sender.send(image, 0).get();
        }

        assertThat(outcome.status()).isEqualTo("OK");
        assertThat(outcome.success()).isTrue();
        assertThat(outcome.sentBytes()).isEqualTo(image.data().length);
        assertThat(outcome.receivedBytes()).isEqualTo(png.length);
        assertThat(PngCheck.problem(outcome.head(), outcome.receivedBytes(), image)).isNull();
        assertThat(receivedBytes.get()).isEqualTo(image.data().length);
    }

    @Test
    void sharedChannelUsesOneConnectionForAllCalls() throws Exception {
        try (GrpcRequestSender sender = sender(false, 1)) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(sender.send(image, i).get().success()).isTrue();
            }
        }

        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void clientsAreSpreadOverTheConfiguredConnections() throws Exception {
        try (GrpcRequestSender sender = sender(false, 2)) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(sender.send(image, i).get().success()).isTrue();
            }
        }

        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void newConnectionPerRequestOpensOneConnectionForEachCall() throws Exception {
        try (GrpcRequestSender sender = sender(true, 1)) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(sender.send(image, 0).get().success()).isTrue();
            }
        }

        assertThat(connections.get()).isEqualTo(REQUESTS);
    }

    @Test
    void errorStatusBecomesAFailedOutcomeWithItsDescription() throws Exception {
        BenchImage notJpeg = new BenchImage("x.bin", new byte[] {1, 2, 3}, "application/octet-stream", -1, -1);
        Outcome outcome;
        try (GrpcRequestSender sender = new GrpcRequestSender(BenchTarget.parse("grpc://127.0.0.1:" + server.getPort()),
                List.of(notJpeg), false, 1, Duration.ofSeconds(10), callbacks)) {
            outcome = sender.send(notJpeg, 0).get();
        }

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.status()).isEqualTo("INVALID_ARGUMENT");
        assertThat(outcome.detail()).isEqualTo("not a JPEG");
    }

    @Test
    void unreachableServerIsUnavailable() throws Exception {
        int port = server.getPort();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

        Outcome outcome;
        try (GrpcRequestSender sender = new GrpcRequestSender(BenchTarget.parse("grpc://127.0.0.1:" + port),
                List.of(image), false, 1, Duration.ofSeconds(10), callbacks)) {
            outcome = sender.send(image, 0).get();
        }

        assertThat(outcome.status()).isEqualTo("UNAVAILABLE");
        assertThat(outcome.sentBytes()).isZero();
    }
}
