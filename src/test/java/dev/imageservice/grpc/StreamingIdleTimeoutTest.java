package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.cli.StreamingUpload;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream idle timeout measures the client, not the server's own queueing and processing. */
@ExtendWith(DropwizardExtensionsSupport.class)
class StreamingIdleTimeoutTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("grpc.streamIdleTimeout", "1s")));

    @Test
    void aStreamHeldInWorkLongerThanTheIdleTimeoutStillCompletes() throws Exception {
        ManagedChannel channel = GrpcTestChannels.localhost(((ImageServiceApplication) APP.getApplication()).grpcServer().getPort());
        GatedApplication.Gate gate = GatedApplication.Gate.closeForNextRequests();
        try {
            TestImages.Pixels photo = TestImages.photoLike(64, 48, 3, 8, 81);
            byte[] png = TestImages.encode(photo, ".png");
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return StreamingUpload.process(ImageServiceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS), png);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).isTrue();

            Thread.sleep(2500); // well past the 1 s idle timeout, with the client waiting politely
            gate.letThrough();

            assertThat(TestImages.decode(answer.get(30, TimeUnit.SECONDS))).isEqualTo(photo.swapped());
        } finally {
            gate.letThrough();
            GrpcTestChannels.close(channel);
        }
    }
}
