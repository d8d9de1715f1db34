package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.RegionArrays;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.LargeImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The region arrays of answers and gRPC framing buffers ({@link RegionArrays}) are handed out again
 * while other calls run: every answer stays exact under concurrent calls over both transports, and
 * the pool's count of arrays in use returns to where it was after calls that were cancelled while
 * their answer was being written, refused, or never read (cancelled by the client, cut by the idle timeout).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AnswerPoolTransportsTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "1s"),
            ConfigOverride.config("grpc.streamIdleTimeout", "1s"));

    private static byte[] jpeg;
    private static byte[] samples;
    private static ManagedChannel channel;
    private static ImageServiceGrpc.ImageServiceBlockingStub stub;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void prepare() {
        // Noisy: a PNG answer of ~4 MB, four region pieces.
        jpeg = LargeImages.photo(1700, 1300, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 95);
        samples = LargeImages.decodeSamples(jpeg);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", AppUnderTest.grpcPort(APP)).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        stub = ImageServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static byte[] overGrpc() {
        return stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(jpeg)).build())
                .getImageData().toByteArray();
    }

    private static byte[] overHttp() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/jpeg").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void awaitPoolBackTo(long inUse) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (RegionArrays.inUse() != inUse && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
        assertThat(RegionArrays.inUse()).as("region arrays in use").isEqualTo(inUse);
    }

    @Test
    void answersStayExactWhileTheirArraysAreHandedOutAgain() throws Exception {
        long inUse = RegionArrays.inUse();
        long reused = RegionArrays.reused();
        List<Future<byte[]>> answers = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                answers.add(threads.submit(AnswerPoolTransportsTest::overGrpc));
                answers.add(threads.submit(AnswerPoolTransportsTest::overHttp));
            }
        }
        for (Future<byte[]> answer : answers) {
            byte[] png = answer.get(120, TimeUnit.SECONDS);
            assertThat(png.length).isGreaterThan(3 * RegionArrays.BYTES);
            assertThat(LargeImages.firstSwapMismatch(samples, LargeImages.decodeSamples(png))).isEqualTo(-1);
        }
        assertThat(RegionArrays.reused()).as("arrays handed out again").isGreaterThan(reused + answers.size());
        awaitPoolBackTo(inUse);
        threads.shutdownNow();
    }

    @Test
    void cancelledRefusedAndUnreadCallsGiveTheirArraysBack() throws Exception {
        long inUse = RegionArrays.inUse();
        ManagedChannel small = NettyChannelBuilder.forAddress("127.0.0.1", AppUnderTest.grpcPort(APP)).usePlaintext()
                .maxInboundMessageSize(64 << 10).build();
        ManagedChannel stalled = NettyChannelBuilder.forAddress("127.0.0.1", AppUnderTest.grpcPort(APP)).usePlaintext()
                .flowControlWindow(64 << 10).maxInboundMessageSize(64 << 20).build();
        try {
            // The client refuses the answer once its length is known: the call is cancelled while written.
            for (int i = 0; i < 3; i++) {
                try {
                    ImageServiceGrpc.newBlockingStub(small).withDeadlineAfter(60, TimeUnit.SECONDS)
                            .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(jpeg)).build());
                } catch (StatusRuntimeException expected) {
                    assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                }
            }
            // Deadlines that end while the call waits or is processed.
            for (int millis : new int[] {1, 50, 150}) {
                try {
                    stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS)
                            .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(jpeg)).build());
                } catch (StatusRuntimeException expected) {
                    assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                }
            }
            // Refused: not an image.
            try {
                stub.processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFromUtf8("not an image")).build());
            } catch (StatusRuntimeException expected) {
                assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            }
            // Never read over gRPC: the message is never asked for, then the client cancels the call.
            // A fixed 64 KiB window (no automatic tuning): the answer waits at the server.
            ClientCall<ImageRequest, ImageResponse> unread = stalled.newCall(ImageServiceGrpc.getProcessImageMethod(),
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
            CompletableFuture<Status> unreadStatus = new CompletableFuture<>();
            unread.start(new ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    unreadStatus.complete(status);
                }
            }, new Metadata());
            unread.sendMessage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(jpeg)).build());
            unread.halfClose();
            // Never read over HTTP: the connection's idle timeout ends the write.
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", APP.getLocalPort()));
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/v1/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n"
                        + "Content-Length: " + jpeg.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.flush();
                InputStream in = socket.getInputStream();
                in.readNBytes(1000); // the head of the answer, then nothing more
                Thread.sleep(3000); // both answers are done by now and wait in the servers' buffers
                unread.cancel("the client gives up on reading", null);
                assertThat(unreadStatus.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
                Thread.sleep(1500);
            }
            awaitPoolBackTo(inUse);
            // And the service answers normally after.
            assertThat(LargeImages.firstSwapMismatch(samples, LargeImages.decodeSamples(overGrpc()))).isEqualTo(-1);
            assertThat(LargeImages.firstSwapMismatch(samples, LargeImages.decodeSamples(overHttp()))).isEqualTo(-1);
            awaitPoolBackTo(inUse);
        } finally {
            small.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            stalled.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            threads.shutdownNow();
        }
    }
}
