package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.Limits;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The memory budget shared among clients, over gRPC: while alice's large image is in work and her
 * next ones wait for room, bob's small images are admitted beside it instead of waiting behind them.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FairMemoryShareGrpcTest {
    /** Smooth, so its PNG is small: the inputs of alice's waiting calls all fit gRPC's read-ahead (ReadAheadGate). */
    static final TestImages.Pixels LARGE = gradient(700, 560);
    static final TestImages.Pixels SMALL = TestImages.photoLike(64, 48, 3, 8, 5);
    static final byte[] LARGE_PNG = TestImages.encode(LARGE, ".png");
    /** The smallest budget allowed: its work share (5.6 MiB) holds one large image and bob's, not two large. */
    static final long BUDGET = 16 << 20;
    static final long WORK_SHARE = BUDGET - BUDGET * AdmissionController.INPUT_SHARE_PERCENT / 100;
    static final long LARGE_WORK = Limits.workBytes(700 * 560, LARGE_PNG.length);
    static final int ALICE_WAITING = 3;

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("security.apiKeysFile", FairShareGrpcTest.KEYS.toString()),
                    ConfigOverride.config("limits.maxConcurrent", "4"),
                    ConfigOverride.config("limits.memoryBudget", BUDGET + "B")));

    @Test
    void bobsSmallImagesGoBesideAlicesLargeOneWhileHerNextOnesWaitForRoom() throws Exception {
        assertThat(LARGE_WORK).as("one large image's work").isBetween(WORK_SHARE / 2 + 1, WORK_SHARE - 200_000);
        ImageRequest large = ImageRequest.newBuilder().setImageData(ByteString.copyFrom(LARGE_PNG)).build();
        ImageRequest small = ImageRequest.newBuilder()
                .setImageData(ByteString.copyFrom(TestImages.encode(SMALL, ".png"))).build();
        ManagedChannel channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
        GatedApplication.Gate gate = GatedApplication.Gate.closeForNextRequests();
        try {
            var alice = FairShareGrpcTest.stub(channel, FairShareGrpcTest.ALICE);
            var bob = FairShareGrpcTest.stub(channel, FairShareGrpcTest.BOB);
            List<ListenableFuture<ImageResponse>> alices = new ArrayList<>();
            alices.add(alice.processImage(large));
            assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("alice's first image in work").isTrue();
            for (int i = 1; i <= ALICE_WAITING; i++) {
                alices.add(alice.processImage(large));
            }
            FairShareGrpcTest.awaitQueued("alice", ALICE_WAITING);
            assertThat(GatedApplication.admission().inFlight()).as("two large images do not fit").isEqualTo(1);

            ListenableFuture<ImageResponse> bob1 = bob.processImage(small);
            ListenableFuture<ImageResponse> bob2 = bob.processImage(small);
            // Alice's next image is first in turn, but beside her first it would take her past her
            // half of the work share: bob's images are admitted now, beside her large one.
            assertThat(gate.awaitHeld(2, 30, TimeUnit.SECONDS)).as("bob's two images in work beside alice's").isTrue();
            assertThat(GatedApplication.admission().queuedBy("bob")).isZero();
            assertThat(GatedApplication.admission().queuedBy("alice")).isEqualTo(ALICE_WAITING);
            assertThat(GatedApplication.admission().inFlight()).isEqualTo(3);

            gate.letThrough();
            assertThat(TestImages.decode(bob1.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(SMALL.swapped());
            assertThat(TestImages.decode(bob2.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(SMALL.swapped());
            for (ListenableFuture<ImageResponse> call : alices) {
                assertThat(TestImages.decode(call.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                        .isEqualTo(LARGE.swapped());
            }
        } finally {
            gate.letThrough();
            GrpcTestChannels.close(channel);
        }
    }

    private static TestImages.Pixels gradient(int width, int height) {
        int[] samples = new int[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                samples[at] = x * 255 / width;
                samples[at + 1] = y * 255 / height;
                samples[at + 2] = 128;
            }
        }
        return new TestImages.Pixels(width, height, 3, 8, samples);
    }
}
