package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.Mutations;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Thousands of mutated images over gRPC: each is processed or refused with a typed status. */
@ExtendWith(DropwizardExtensionsSupport.class)
class FuzzGrpcTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();
    static final int CASES = 3000;

    private static final Set<Status.Code> TYPED = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT);

    @Test
    void everyMutantIsProcessedOrRefusedCleanlyAndTheServiceStaysHealthy() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP))
                .usePlaintext().maxInboundMessageSize(64 << 20).build();
        Map<Status.Code, Integer> outcomes = new EnumMap<>(Status.Code.class);
        try {
            ImageServiceGrpc.ImageServiceBlockingStub stub = ImageServiceGrpc.newBlockingStub(channel);
            for (Mutations.Mutant mutant : Mutations.generate(20261124L, CASES)) {
                Status.Code code;
                try {
                    byte[] png = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                            .processImage(ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(mutant.data())).build())
                            .getImageData().toByteArray();
                    TestImages.decode(png); // an OK answer must be a readable PNG
                    code = Status.Code.OK;
                } catch (StatusRuntimeException e) {
                    code = e.getStatus().getCode();
                    assertThat(e.getStatus().getDescription()).as(mutant.description())
                            .isNotBlank().doesNotContain("Exception", "cv::", "\tat ");
                }
                assertThat(TYPED).as("%s answered %s", mutant.description(), code).contains(code);
                outcomes.merge(code, 1, Integer::sum);
            }

            TestImages.Pixels photo = TestImages.photoLike(64, 64, 3, 8, 34);
            byte[] png = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .processImage(ImageRequest.newBuilder().setImageData(
                            UnsafeByteOperations.unsafeWrap(TestImages.encode(photo, ".png"))).build())
                    .getImageData().toByteArray();
            assertThat(TestImages.decode(png)).isEqualTo(photo.swapped());
        } finally {
            channel.shutdownNow();
        }
        System.out.println("fuzz: " + CASES + " mutants over gRPC: " + outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
        assertThat(outcomes).containsKeys(Status.Code.OK, Status.Code.INVALID_ARGUMENT);
    }
}
