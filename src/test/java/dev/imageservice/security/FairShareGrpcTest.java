package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
        GatedApplication.Gate gate = GatedApplication.Gate.closeForNextRequests();
        List<String> finished = new CopyOnWriteArrayList<>();
        try {
            ImageServiceGrpc.ImageServiceFutureStub alice = stub(channel, ALICE);
            List<ListenableFuture<ImageResponse>> alices = new ArrayList<>();
            alices.add(track(alice.processImage(request), "alice-0", finished));
            assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("alice's first call in work").isTrue();
            for (int i = 1; i <= ALICE_QUEUED; i++) {
                alices.add(track(alice.processImage(request), "alice-" + i, finished));
            }
            awaitQueued("alice", ALICE_QUEUED);
            ListenableFuture<ImageResponse> refused = alice.processImage(request);
            // Bob's first call goes on the spare worker (he has nothing in work, alice has every
            // worker); his second waits in his own queue, served in turns with alice's.
            ListenableFuture<ImageResponse> bobInWork = track(stub(channel, BOB).processImage(request), "bob-0", finished);
            assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("bob's first call on the spare worker").isTrue();
            ListenableFuture<ImageResponse> bob = track(stub(channel, BOB).processImage(request), "bob", finished);
            awaitQueued("bob", 1);

            ExecutionException overloaded = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> refused.get(30, TimeUnit.SECONDS));
            Status status = Status.fromThrowable(overloaded.getCause());
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("the limit per client");
            assertThat(bob.isDone()).as("bob waits only for the one in work").isFalse();

            gate.letThrough();
            assertThat(TestImages.decode(bobInWork.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(photo.swapped());
            assertThat(TestImages.decode(bob.get(60, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(photo.swapped());
            for (ListenableFuture<ImageResponse> call : alices) {
                assertThat(call.get(60, TimeUnit.SECONDS).getImageData().isEmpty()).isFalse();
            }
        } finally {
            gate.letThrough();
            GrpcTestChannels.close(channel);
        }
        // Turns alternate: alice-0 (in work), one of alice's, bob, ... Answers of calls admitted one
        // after another can complete a few places apart on the client, so the bound is the first
        // half; one FIFO would put bob last, behind all 12 of alice's waiting calls.
        // A call's listener runs on gRPC's thread after its future completed, so get() may return first.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (finished.size() < ALICE_QUEUED + 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(finished).hasSize(ALICE_QUEUED + 3);
        assertThat(finished.indexOf("bob")).as("bob's place in " + finished).isLessThanOrEqualTo(6);
    }

    static ImageServiceGrpc.ImageServiceFutureStub stub(ManagedChannel channel, String key) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        return ImageServiceGrpc.newFutureStub(channel).withDeadlineAfter(90, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static <T> ListenableFuture<T> track(ListenableFuture<T> call, String name, List<String> finished) {
        call.addListener(() -> finished.add(name), MoreExecutors.directExecutor());
        return call;
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
