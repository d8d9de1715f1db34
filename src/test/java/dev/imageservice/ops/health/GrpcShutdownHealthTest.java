package dev.imageservice.ops.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shutdown as a load balancer sees it: health turns NOT_SERVING as soon as the stop begins, the
 * server keeps answering for the drain delay, and only then refuses calls.
 */
class GrpcShutdownHealthTest {
    private static final long DRAIN_MILLIS = 3000;

    private final DropwizardTestSupport<ImageServiceConfiguration> support = new DropwizardTestSupport<>(
            ImageServiceApplication.class, AppUnderTest.shippedConfig(),
            AppUnderTest.withRandomPorts(ConfigOverride.config("ops.shutdownDrainDelay", DRAIN_MILLIS + "ms")));
    private ManagedChannel channel;

    @AfterEach
    void cleanUp() throws InterruptedException {
        GrpcTestChannels.close(channel);
        support.after(); // idempotent: a no-op if the test stopped the app already
    }

    @Test
    void healthTurnsNotServingWhenShutdownBeginsWhileCallsAreStillServed() throws Exception {
        support.before();
        channel = GrpcTestChannels.localhost(((ImageServiceApplication) support.getApplication()).grpcServer().getPort());
        assertThat(status("")).isEqualTo(ServingStatus.SERVING);
        assertThat(status("image.ImageService")).isEqualTo(ServingStatus.SERVING);

        long stopAt = System.nanoTime();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(support::after);
        ServingStatus seen = ServingStatus.SERVING;
        while (seen == ServingStatus.SERVING && System.nanoTime() - stopAt < TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS)) {
            seen = status(""); // throws (and fails the test) if the server refuses before saying NOT_SERVING
            Thread.sleep(10);
        }

        assertThat(seen).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(status("image.ImageService")).isEqualTo(ServingStatus.NOT_SERVING);
        // Draining, not dead: work still gets done while load balancers move away.
        byte[] png = TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 3), ".png");
        assertThat(ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(png)).build())
                .getImageData().isEmpty()).isFalse();
        assertThat(stopped).isNotDone();

        stopped.get(30, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - stopAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS));
        assertThatThrownBy(() -> status(""))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    private ServingStatus status(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }
}
