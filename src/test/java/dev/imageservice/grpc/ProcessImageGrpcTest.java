package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real gRPC calls against the real application on random ports. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProcessImageGrpcTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private static ManagedChannel channel;
    private static ImageServiceGrpc.ImageServiceBlockingStub stub;

    @BeforeAll
    static void connect() {
        channel = NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP))
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        stub = ImageServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Pixels process(byte[] image) {
        byte[] png = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(image)).build())
                .getImageData().toByteArray();
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        return TestImages.decode(png);
    }

    @Test
    void photoLikeJpegComesBackWithRedAndBlueSwapped() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(641, 479, 3, 8, 1), ".jpg");
        Pixels asDecoded = TestImages.decode(jpeg);

        Pixels result = process(jpeg);

        assertThat(result).isEqualTo(asDecoded.swapped());
        assertThat(result.at(10, 10, 0)).isEqualTo(asDecoded.at(10, 10, 2));
    }

    @Test
    void sixteenBitImageStaysSixteenBit() {
        Pixels input = TestImages.photoLike(97, 61, 3, 16, 2);

        Pixels result = process(TestImages.encode(input, ".png"));

        assertThat(result.bitDepth()).isEqualTo(16);
        assertThat(result).isEqualTo(input.swapped());
    }

    @Test
    void alphaStaysTheAlphaChannel() {
        Pixels input = TestImages.photoLike(64, 48, 4, 8, 3);

        Pixels result = process(TestImages.encode(input, ".png"));

        assertThat(result.channels()).isEqualTo(4);
        assertThat(result).isEqualTo(input.swapped());
        assertThat(result.at(5, 7, 3)).isEqualTo(input.at(5, 7, 3));
    }

    @Test
    void grayImageIsUnchangedNotMirrored() {
        Pixels input = TestImages.photoLike(33, 17, 1, 8, 4);

        Pixels result = process(TestImages.encode(input, ".png"));

        assertThat(result).isEqualTo(input);
    }

    @Test
    void sixteenBitGrayWithAlphaIsKept() {
        Pixels input = TestImages.photoLike(20, 10, 4, 16, 5);

        Pixels result = process(TestImages.encode(input, ".png"));

        assertThat(result).isEqualTo(input.swapped());
    }

    @Test
    void garbageIsInvalidArgumentAndTheServerKeepsServing() {
        byte[] garbage = new byte[4096];
        new Random(6).nextBytes(garbage);

        assertRefused(garbage, Status.Code.INVALID_ARGUMENT, "could not decode the image");
        assertRefused("hello, this is text".getBytes(StandardCharsets.UTF_8), Status.Code.INVALID_ARGUMENT,
                "could not decode the image");

        Pixels input = TestImages.photoLike(8, 8, 3, 8, 7);
        assertThat(process(TestImages.encode(input, ".png"))).isEqualTo(input.swapped());
    }

    @Test
    void emptyInputIsInvalidArgument() {
        assertRefused(new byte[0], Status.Code.INVALID_ARGUMENT, "the image is empty");
    }

    @Test
    void corruptPngIsInvalidArgument() {
        byte[] png = TestImages.encode(TestImages.photoLike(64, 64, 3, 8, 8), ".png");
        byte[] headerOnly = java.util.Arrays.copyOf(png, 40);

        assertRefused(headerOnly, Status.Code.INVALID_ARGUMENT, "corrupt PNG data");
    }

    @Test
    void gifIsRefusedAsUnsupportedFormat() {
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;".getBytes(StandardCharsets.ISO_8859_1);

        assertRefused(gif, Status.Code.INVALID_ARGUMENT, "unsupported image format: GIF");
    }

    private static void assertRefused(byte[] input, Status.Code code, String messagePart) {
        assertThatThrownBy(() -> process(input))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription())
                            .contains(messagePart)
                            .doesNotContain("Exception", "cv::", ".cpp", "\tat ");
                });
    }
}
