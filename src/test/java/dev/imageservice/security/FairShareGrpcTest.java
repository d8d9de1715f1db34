package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
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
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two clients told apart by their API keys share the admission queue in turns: alice's backlog does
 * not make bob wait behind it, and alice past her per-client cap is refused as overloaded.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FairShareGrpcTest {
    static final String ALICE = "alice-0123456789abcdef";
    static final String BOB = "bob-fedcba9876543210";
    static final Path KEYS = ApiKeyIntegrationTest.keysFile("alice:" + ALICE + "\nbob:" + BOB + "\n");
    static final int ALICE_QUEUED = 12;

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("security.apiKeysFile", KEYS.toString()),
                    ConfigOverride.config("limits.maxConcurrent", "1"),
                    ConfigOverride.config("limits.maxQueuedPerClient", String.valueOf(ALICE_QUEUED))));

    @Test
    void bobsSingleCallIsServedBeforeAlicesBacklogAndAlicePastHerCapIsRefused() throws Exception {
        TestImages.Pixels photo = TestImages.photoLike(64, 48, 3, 8, 5);
        ImageRequest request = ImageRequest.newBuilder()
                .setImageData(ByteString.copyFrom(TestImages.encode(photo, ".png"))).build();
        ManagedChannel channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
        // Each gate holds the images decoded while it is the current one, so the test decides
        // what finishes when: answers racing each other on two cores never decide the outcome.
        GatedApplication.Gate alicesFirst = GatedApplication.Gate.closeForNextRequests();
        GatedApplication.Gate bobsFirst = null;
        GatedApplication.Gate next = null;
        try {
            ImageServiceGrpc.ImageServiceFutureStub alice = stub(channel, ALICE);
            List<ListenableFuture<ImageResponse>> alices = new ArrayList<>();
            alices.add(alice.processImage(request));
            assertThat(alicesFirst.awaitHeld(1, 30, TimeUnit.SECONDS)).as("alice's first call in work").isTrue();
            for (int i = 1; i <= ALICE_QUEUED; i++) {
                alices.add(alice.processImage(request));
            }
            awaitQueued("alice", ALICE_QUEUED);
            ListenableFuture<ImageResponse> refused = alice.processImage(request);

            // Bob's first call goes on the spare worker: he has nothing in work, alice has every worker.
            bobsFirst = GatedApplication.Gate.closeForNextRequests();
            ListenableFuture<ImageResponse> bobInWork = stub(channel, BOB).processImage(request);
            assertThat(bobsFirst.awaitHeld(1, 30, TimeUnit.SECONDS)).as("bob's first call on the spare worker").isTrue();
            ListenableFuture<ImageResponse> bob = stub(channel, BOB).processImage(request);
            awaitQueued("bob", 1);

            ExecutionException overloaded = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> refused.get(30, TimeUnit.SECONDS));
            Status status = Status.fromThrowable(overloaded.getCause());
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("the limit per client");
            assertThat(bob.isDone()).as("bob waits only for the one in work").isFalse();

            // Bob's first call ends while alice's is still in work: bob's second goes next, ahead of
            // all 12 of alice's waiting calls (one first-come queue would put it behind them).
            next = GatedApplication.Gate.closeForNextRequests();
            bobsFirst.letThrough();
            assertThat(TestImages.decode(bobInWork.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(photo.swapped());
            assertThat(next.awaitHeld(1, 30, TimeUnit.SECONDS)).as("a call admitted after bob's first").isTrue();
            assertThat(GatedApplication.admission().queuedBy("bob")).as("bob's second call admitted").isZero();
            assertThat(GatedApplication.admission().queuedBy("alice")).as("alice's calls still waiting")
                    .isEqualTo(ALICE_QUEUED);

            next.letThrough();
            alicesFirst.letThrough();
            assertThat(TestImages.decode(bob.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(photo.swapped());
            for (ListenableFuture<ImageResponse> call : alices) {
                assertThat(TestImages.decode(call.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                        .isEqualTo(photo.swapped());
            }
        } finally {
            for (GatedApplication.Gate gate : new GatedApplication.Gate[] {next, bobsFirst, alicesFirst}) {
                if (gate != null) {
                    gate.letThrough();
                }
            }
            GrpcTestChannels.close(channel);
        }
    }

    static ImageServiceGrpc.ImageServiceFutureStub stub(ManagedChannel channel, String key) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        return ImageServiceGrpc.newFutureStub(channel).withDeadlineAfter(90, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Waits until {@code client} has {@code count} requests queued (the health probe may queue too, as "" ). */
    static void awaitQueued(String client, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (GatedApplication.admission().queuedBy(client) < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(GatedApplication.admission().queuedBy(client)).isEqualTo(count);
    }
}
