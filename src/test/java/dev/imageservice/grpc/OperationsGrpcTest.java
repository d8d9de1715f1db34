package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.cli.StreamingUpload;
import dev.imageservice.grpc.proto.AutoOrient;
import dev.imageservice.grpc.proto.Crop;
import dev.imageservice.grpc.proto.Flip;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.grpc.proto.Operation;
import dev.imageservice.grpc.proto.OutputFormat;
import dev.imageservice.grpc.proto.Resize;
import dev.imageservice.grpc.proto.Rotate;
import dev.imageservice.grpc.proto.SwapChannels;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.ExifImages;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.Reference;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Operations, formats and their refusals over real gRPC calls (unary and streaming). */
@ExtendWith(DropwizardExtensionsSupport.class)
class OperationsGrpcTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private static ManagedChannel channel;
    private final Pixels original = TestImages.photoLike(80, 50, 3, 8, 61);
    private final ByteString png = ByteString.copyFrom(TestImages.encode(original, ".png"));

    @BeforeAll
    static void connect() {
        channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcTestChannels.close(channel);
    }

    private static ImageServiceGrpc.ImageServiceBlockingStub stub() {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static Operation rotate(int degrees) {
        return Operation.newBuilder().setRotate(Rotate.newBuilder().setDegrees(degrees)).build();
    }

    private static Operation resize(int width, int height, Resize.Fit fit) {
        return Operation.newBuilder().setResize(Resize.newBuilder().setWidth(width).setHeight(height).setFit(fit)).build();
    }

    private static byte[] call(ImageRequest request) {
        return stub().processImage(request).getImageData().toByteArray();
    }

    @Test
    void operationsRunInOrderAndPngIsExact() {
        byte[] answer = call(ImageRequest.newBuilder().setImageData(png)
                .addOperations(rotate(90))
                .addOperations(Operation.newBuilder().setFlip(Flip.newBuilder().setHorizontal(true)))
                .addOperations(Operation.newBuilder().setCrop(Crop.newBuilder().setX(5).setY(10).setWidth(30).setHeight(20)))
                .addOperations(Operation.newBuilder().setSwapChannels(SwapChannels.getDefaultInstance()))
                .build());

        Pixels expected = Reference.crop(Reference.flip(Reference.rotate(original, 90), true, false), 5, 10, 30, 20).swapped();
        assertThat(TestImages.decode(answer)).isEqualTo(expected);
    }

    @Test
    void jpegAndWebpAnswersDecodeWithTheExpectedSize() {
        byte[] jpeg = call(ImageRequest.newBuilder().setImageData(png).addOperations(resize(40, 0, Resize.Fit.CONTAIN))
                .setFormat(OutputFormat.JPEG).setQuality(90).build());
        assertThat(jpeg).startsWith(0xFF, 0xD8);
        assertThat(TestImages.decode(jpeg).width()).isEqualTo(40);
        assertThat(TestImages.decode(jpeg).height()).isEqualTo(25);

        byte[] webp = call(ImageRequest.newBuilder().setImageData(png).addOperations(resize(30, 30, Resize.Fit.COVER))
                .setFormat(OutputFormat.WEBP).build());
        assertThat(new String(webp, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        assertThat(TestImages.decode(webp).width()).isEqualTo(30);
        assertThat(TestImages.decode(webp).height()).isEqualTo(30);
    }

    @Test
    void autoOrientTurnsAPortraitPhoneJpegUpright() {
        byte[] jpeg = ExifImages.jpegWithOrientation(TestImages.encode(original, ".jpg"), 6);
        byte[] answer = call(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(jpeg))
                .addOperations(Operation.newBuilder().setAutoOrient(AutoOrient.getDefaultInstance())).build());

        Pixels upright = TestImages.decode(answer);
        assertThat(upright.width()).isEqualTo(50);
        assertThat(upright.height()).isEqualTo(80);
        assertThat(upright).isEqualTo(Reference.oriented(TestImages.decode(TestImages.encode(original, ".jpg")), 6));
    }

    @Test
    void streamingTakesTheOptionsFromTheFirstChunk() throws Exception {
        ImageRequest options = ImageRequest.newBuilder().addOperations(rotate(270)).setFormat(OutputFormat.WEBP).setQuality(50).build();
        byte[] webp = StreamingUpload.process(ImageServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS),
                png.toByteArray(), options);

        Pixels decoded = TestImages.decode(webp);
        assertThat(decoded.width()).isEqualTo(50);
        assertThat(decoded.height()).isEqualTo(80);
    }

    @Test
    void operationTimersCountEachOperation() {
        long before = APP.getEnvironment().metrics().timer("image.processing.operation.resize").getCount();
        call(ImageRequest.newBuilder().setImageData(png).addOperations(resize(10, 10, Resize.Fit.FILL)).build());
        assertThat(APP.getEnvironment().metrics().timer("image.processing.operation.resize").getCount()).isEqualTo(before + 1);
    }

    @Test
    void badOptionsAreInvalidArgumentNamingTheField() {
        refused(ImageRequest.newBuilder().setImageData(png).addOperations(rotate(45)),
                "operations[0].rotate: degrees must be 90, 180 or 270, not 45");
        refused(ImageRequest.newBuilder().setImageData(png).addOperations(rotate(90)).addOperations(resize(0, 0, Resize.Fit.FILL)),
                "operations[1].resize: width and height cannot both be 0");
        refused(ImageRequest.newBuilder().setImageData(png)
                        .addOperations(Operation.newBuilder().setCrop(Crop.newBuilder().setX(70).setWidth(20).setHeight(5))),
                "operation 1 (crop:70:0:20:5): the rectangle 20x5 at 70,0 is outside the 80x50 image");
        refused(ImageRequest.newBuilder().setImageData(png).addAllOperations(Collections.nCopies(17, rotate(90))),
                "operations: 17 operations; at most 16 are allowed");
        refused(ImageRequest.newBuilder().setImageData(png).addOperations(resize(20000, 20000, Resize.Fit.FILL)),
                "the result would be 20000x20000 = 400 MP; the limit is 50 MP");
        refused(ImageRequest.newBuilder().setImageData(png).addOperations(Operation.getDefaultInstance()),
                "operations[0]: no operation set");
        refused(ImageRequest.newBuilder().setImageData(png).setFormat(OutputFormat.JPEG).setQuality(101),
                "quality must be 1-100");
        refused(ImageRequest.newBuilder().setImageData(png).setFormatValue(9), "format: unknown output format 9");
    }

    @Test
    void badOptionsInAStreamAreInvalidArgumentToo() {
        ImageRequest options = ImageRequest.newBuilder().addOperations(rotate(45)).build();
        assertThatThrownBy(() -> StreamingUpload.process(ImageServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS),
                png.toByteArray(), options))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("operations[0].rotate: degrees must be 90, 180 or 270");
                });
    }

    private static void refused(ImageRequest.Builder request, String message) {
        assertThatThrownBy(() -> call(request.build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }
}
