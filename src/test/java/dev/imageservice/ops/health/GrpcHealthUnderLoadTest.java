package dev.imageservice.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Health probes are answered while every image-call thread is busy. */
@ExtendWith(DropwizardExtensionsSupport.class)
class GrpcHealthUnderLoadTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("limits.maxConcurrent", "1"),
                    ConfigOverride.config("grpc.executorThreads", "1")));

    @Test
    void healthCheckIsAnsweredWhileTheOnlyImageThreadIsBusy() throws Exception {
        ManagedChannel channel = GrpcTestChannels.localhost(((ImageServiceApplication) APP.getApplication()).grpcServer().getPort());
        GatedApplication.Gate gate = GatedApplication.Gate.closeForNextRequests();
        try {
            byte[] png = TestImages.encode(TestImages.photoLike(64, 64, 3, 8, 71), ".png");
            ListenableFuture<ImageResponse> held = ImageServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .processImage(ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(png)).build());
            assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("the image call holds the only image thread").isTrue();

            ServingStatus status = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("image.ImageService").build()).getStatus();

            assertThat(status).isEqualTo(ServingStatus.SERVING);
            gate.letThrough();
            assertThat(held.get(30, TimeUnit.SECONDS).getImageData().size()).isPositive();
        } finally {
            gate.letThrough();
            GrpcTestChannels.close(channel);
        }
    }
}
