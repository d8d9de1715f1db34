package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rapid reset (CVE-2023-44487), sent as raw HTTP/2 frames: a client that opens streams and resets
 * them at once, as fast as it can, gets a GOAWAY (ENHANCE_YOUR_CALM) and its connection closed
 * after the configured number of resets, while other clients are served.
 *
 * <p>The client sends a few more resets than allowed and then stops writing, as the server's
 * answer would otherwise race it: a server that closes a connection with the client's frames still
 * unread resets it (TCP RST), and the reset can destroy the GOAWAY before the client reads it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RapidResetTest {
    static final int RESETS_ALLOWED = 200;
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            io.dropwizard.testing.ConfigOverride.config("grpc.connections.maxResetsPerWindow",
                    String.valueOf(RESETS_ALLOWED)));

    static final int TYPE_HEADERS = 0x1;
    static final int TYPE_RST_STREAM = 0x3;
    static final int TYPE_SETTINGS = 0x4;
    static final int TYPE_GOAWAY = 0x7;
    static final int FLAG_END_HEADERS = 0x4;
    static final int FLAG_ACK = 0x1;
    static final int CANCEL = 0x8;
    static final int ENHANCE_YOUR_CALM = 0xb;
    static final int STREAMS = RESETS_ALLOWED + 20;
    static volatile String goAwayDebug = "";

    @Test
    void openingAndResettingStreamsQuicklyEndsTheConnectionAndOthersAreStillServed() throws Exception {
        CompletableFuture<int[]> goAway = new CompletableFuture<>();
        int sent = 0;
        try (Socket socket = new Socket("127.0.0.1", AppUnderTest.grpcPort(APP))) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            frame(out, TYPE_SETTINGS, 0, 0, new byte[0]);
            Thread reader = new Thread(() -> readFrames(socket, out, goAway), "h2-reader");
            reader.setDaemon(true);
            reader.start();
            byte[] headers = headerBlock();
            byte[] cancel = ByteBuffer.allocate(4).putInt(CANCEL).array();
            try {
                for (int stream = 1; sent < STREAMS && !goAway.isDone(); stream += 2, sent++) {
                    synchronized (out) {
                        frame(out, TYPE_HEADERS, FLAG_END_HEADERS, stream, headers);
                        frame(out, TYPE_RST_STREAM, 0, stream, cancel);
                    }
                }
            } catch (IOException closedByTheServer) {
                // the server ended the connection while we were still resetting
            }
            int[] lastStreamAndError = goAway.get(30, TimeUnit.SECONDS);
            assertThat(lastStreamAndError[1]).as("GOAWAY error code").isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(goAwayDebug).isEqualTo("too_many_rststreams");
            System.out.printf("rapid reset: %d HEADERS+RST_STREAM written, GOAWAY error %d, debug '%s'%n", sent,
                    lastStreamAndError[1], goAwayDebug);
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(reader.isAlive()).as("the server closed the connection").isFalse();
        }

        TestImages.Pixels photo = TestImages.photoLike(32, 24, 3, 8, 9);
        ManagedChannel channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
        try {
            byte[] answer = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .processImage(ImageRequest.newBuilder()
                            .setImageData(ByteString.copyFrom(TestImages.encode(photo, ".png"))).build())
                    .getImageData().toByteArray();
            assertThat(TestImages.decode(answer)).isEqualTo(photo.swapped());
        } finally {
            GrpcTestChannels.close(channel);
        }
    }

    /** Reads frames until the connection ends: acknowledges SETTINGS, notes a GOAWAY's error code. */
    private static void readFrames(Socket socket, OutputStream out, CompletableFuture<int[]> goAway) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                in.readInt(); // stream id
                byte[] payload = in.readNBytes(length);
                if (type == TYPE_SETTINGS && (flags & FLAG_ACK) == 0) {
                    synchronized (out) {
                        frame(out, TYPE_SETTINGS, FLAG_ACK, 0, new byte[0]);
                    }
                } else if (type == TYPE_GOAWAY) {
                    ByteBuffer fields = ByteBuffer.wrap(payload);
                    goAwayDebug = new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
                    goAway.complete(new int[] {fields.getInt(0) & 0x7fffffff, fields.getInt(4)});
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            goAway.complete(new int[] {-1, -1}); // closed without a GOAWAY: the assertions name it
        } catch (IOException e) {
            goAway.completeExceptionally(e);
        }
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(9);
        header.put((byte) (payload.length >>> 16)).putShort((short) payload.length).put((byte) type).put((byte) flags)
                .putInt(stream);
        out.write(header.array());
        out.write(payload);
    }

    /** The request headers of a gRPC call, HPACK literals without indexing (no Huffman). */
    private static byte[] headerBlock() {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        String[][] fields = {
            {":method", "POST"}, {":scheme", "http"}, {":path", "/image.ImageService/ProcessImage"},
            {":authority", "localhost"}, {"content-type", "application/grpc"}, {"te", "trailers"},
        };
        for (String[] field : fields) {
            block.write(0x00);
            for (String part : field) {
                byte[] bytes = part.getBytes(StandardCharsets.US_ASCII);
                block.write(bytes.length); // all shorter than 127
                block.writeBytes(bytes);
            }
        }
        return block.toByteArray();
    }
}
