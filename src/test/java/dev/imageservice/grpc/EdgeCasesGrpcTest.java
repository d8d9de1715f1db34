package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every edge case over gRPC, with the status the failure-kind table gives it. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EdgeCasesGrpcTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP))
                .usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    static List<EdgeCases.Case> cases() {
        return EdgeCases.all();
    }

    static Status.Code grpcCode(EdgeCases.Expected expected) {
        return switch (expected) {
            case OK -> Status.Code.OK;
            case INVALID, UNSUPPORTED, TOO_MANY_PIXELS -> Status.Code.INVALID_ARGUMENT;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsTheTableSays(EdgeCases.Case edgeCase) {
        ImageRequest request = ImageRequest.newBuilder()
                .setImageData(UnsafeByteOperations.unsafeWrap(edgeCase.input().get())).build();
        ImageServiceGrpc.ImageServiceBlockingStub stub = ImageServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);

        if (edgeCase.expected() == EdgeCases.Expected.OK) {
            byte[] png = stub.processImage(request).getImageData().toByteArray();
            assertThat(TestImages.decode(png)).isEqualTo(edgeCase.pixels().get());
        } else {
            assertThatThrownBy(() -> stub.processImage(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(grpcCode(edgeCase.expected()));
                        assertThat(e.getStatus().getDescription()).contains(edgeCase.messagePart());
                    });
        }
    }
}
