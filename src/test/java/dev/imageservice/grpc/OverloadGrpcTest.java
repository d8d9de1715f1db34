package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.ProcessMemory;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** More concurrent requests than capacity: the admitted ones are right, the rest refused as overloaded. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OverloadGrpcTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("limits.maxConcurrent", "1"),
            ConfigOverride.config("limits.maxQueued", "2"));

    static final int REQUESTS = 16;

    @Test
    void admittedRequestsSucceedAndTheRestAreRefusedAsOverloaded() throws Exception {
        TestImages.Pixels photo = TestImages.photoLike(1600, 1200, 3, 8, 41);
        byte[] png = TestImages.encode(photo, ".png");
        TestImages.Pixels expected = photo.swapped();
        long rssBefore = ProcessMemory.residentKib();
        long heapBefore = ProcessMemory.heapUsedAfterGc();
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", AppUnderTest.grpcPort(APP))
                .usePlaintext().maxInboundMessageSize(64 << 20).build();
        int ok = 0;
        int overloaded = 0;
        try {
            ImageServiceGrpc.ImageServiceFutureStub stub = ImageServiceGrpc.newFutureStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS);
            ImageRequest request = ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(png)).build();
            List<ListenableFuture<ImageResponse>> calls = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                calls.add(stub.processImage(request));
            }
            for (ListenableFuture<ImageResponse> call : calls) {
                try {
                    byte[] result = call.get(60, TimeUnit.SECONDS).getImageData().toByteArray();
                    assertThat(TestImages.decode(result)).isEqualTo(expected);
                    ok++;
                } catch (ExecutionException e) {
                    Status status = Status.fromThrowable(e.getCause());
                    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(status.getDescription()).contains("overloaded");
                    overloaded++;
                }
            }
        } finally {
            channel.shutdownNow();
        }
        long rssGrowthMib = (ProcessMemory.residentKib() - rssBefore) / 1024;
        long heapGrowthMib = (ProcessMemory.heapUsedAfterGc() - heapBefore) >> 20;
        System.out.printf("overload: %d requests, %d ok, %d refused as overloaded, RSS growth %d MiB, "
                + "heap growth after GC %d MiB (max heap %d MiB)%n", REQUESTS, ok, overloaded, rssGrowthMib,
                heapGrowthMib, Runtime.getRuntime().maxMemory() >> 20);
        // One in work and two queued at the least; one of those three places may be taken by the
        // processor health check's probe, which goes through the same admission.
        assertThat(ok).isGreaterThanOrEqualTo(2);
        assertThat(overloaded).isPositive();
        assertThat(ok + overloaded).isEqualTo(REQUESTS);
        // Bounded: the heap is capped (-Xmx1g in the test run) and nothing is retained afterwards.
        assertThat(rssGrowthMib).as("RSS growth").isLessThan(1536);
        assertThat(heapGrowthMib).as("heap growth after GC").isLessThan(64);
    }
}
