package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad gRPC input gets a typed status; connections over the limit are refused with a GOAWAY, idle ones closed. */
@ExtendWith(DropwizardExtensionsSupport.class)
class GrpcAbuseTest {
    static final int PER_ADDRESS = 4;
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("limits.maxInputSize", "1MiB"),
            ConfigOverride.config("grpc.connections.maxConnectionsPerAddress", String.valueOf(PER_ADDRESS)),
            ConfigOverride.config("grpc.connections.maxConnectionIdle", "2s"));

    static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcTestChannels.close(channel);
    }

    @Test
    void malformedProtobufIsInvalidArgument() {
        for (MethodDescriptor<?, ?> method : List.of(ImageServiceGrpc.getProcessImageMethod(),
                ImageServiceGrpc.getProcessImageStreamMethod())) {
            MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method.getFullMethodName())
                    .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
            // Field 1, length-delimited, claiming 1000 bytes that never come.
            byte[] malformed = {0x0A, (byte) 0xE8, 0x07, 1, 2, 3};
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, malformed))
                    .as(method.getFullMethodName())
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).isEqualTo("the request is not a valid protobuf message");
                    });
        }
    }

    @Test
    void gzipBombIsResourceExhausted() {
        // 16 MiB of zeros compress to ~16 KiB: far under the 1 MiB limit on the wire, far over it unpacked.
        ImageRequest bomb = ImageRequest.newBuilder().setImageData(ByteString.copyFrom(new byte[16 << 20])).build();
        assertThatThrownBy(() -> ImageServiceGrpc.newBlockingStub(channel).withCompression("gzip").processImage(bomb))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        // The service is still there for a normal call.
        byte[] png = TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".png");
        assertThat(ImageServiceGrpc.newBlockingStub(channel).withCompression("gzip")
                .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(png)).build()).getImageData().size())
                .isPositive();
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreRefusedWithAGoAwayAndIdleOnesTimeOut() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS + 3; i++) {
                Socket socket = new Socket("127.0.0.1", AppUnderTest.grpcPort(APP));
                socket.setSoTimeout(500);
                sockets.add(socket);
            }
            // The shared test channel may hold one of the allowed connections: at least 3 over the limit
            // are answered at once with a GOAWAY that processed nothing, then closed.
            long refusedAtOnce = sockets.stream().filter(GrpcAbuseTest::refusedWithGoAway).count();
            assertThat(refusedAtOnce).isBetween(3L, 4L);
            // Those kept open but silent are closed after maxConnectionIdle (2 s): a GOAWAY, then the
            // close once grpc-java's graceful-shutdown ping goes unanswered (10 s).
            for (Socket socket : sockets) {
                socket.setSoTimeout(30_000);
                assertThat(drainsToEnd(socket)).isTrue();
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aCallOnAConnectionOverThePerAddressLimitIsUnavailableNotReset() throws Exception {
        ImageRequest request = ImageRequest.newBuilder()
                .setImageData(ByteString.copyFrom(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".png"))).build();
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            StatusRuntimeException refused = null;
            for (int i = 0; i <= PER_ADDRESS && refused == null; i++) {
                // One address ("localhost" may be ::1 and 127.0.0.1, two addresses with a count each).
                ManagedChannel extra = NettyChannelBuilder.forAddress("127.0.0.1", AppUnderTest.grpcPort(APP))
                        .usePlaintext().build();
                channels.add(extra);
                try {
                    ImageServiceGrpc.newBlockingStub(extra).processImage(request);
                } catch (StatusRuntimeException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("a call over the limit").isNotNull();
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(refused.getStatus().getDescription()).contains("GOAWAY", "too many connections from",
                    "the limit is " + PER_ADDRESS + " per address");
            // A connection that closes is no longer counted: the refused client gets in on a later try.
            GrpcTestChannels.close(channels.remove(0));
            ManagedChannel last = channels.get(channels.size() - 1);
            long until = System.nanoTime() + 5_000_000_000L;
            while (true) {
                try {
                    assertThat(ImageServiceGrpc.newBlockingStub(last).processImage(request).getImageData().size()).isPositive();
                    break;
                } catch (StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(System.nanoTime()).as("admitted within 5 s after a close").isLessThan(until);
                    Thread.sleep(100);
                }
            }
        } finally {
            for (ManagedChannel extra : channels) {
                GrpcTestChannels.close(extra);
            }
        }
    }

    /** Reads frames until a GOAWAY that processed no stream (last stream id 0); false if none comes. */
    private static boolean refusedWithGoAway(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte(); // flags
                in.readInt(); // stream id
                byte[] payload = in.readNBytes(length);
                if (type == 0x7) {
                    return ByteBuffer.wrap(payload).getInt() == 0
                            && new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8).contains("too many connections");
                }
            }
        } catch (IOException stillOpenOrClosed) {
            return false;
        }
    }

    private static boolean drainsToEnd(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // the server's SETTINGS and GOAWAY frames
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}
