package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.ops.metrics.MetricNames;
import dev.imageservice.testing.ChildJvmService;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestImages;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service as a process manager runs it: {@code java ... server config.yml} in a JVM of its
 * own, sent SIGTERM while 2 MP images are in work and queued on both transports (one image at a
 * time). Every request completes with the right pixels or, if it could not be done within the grace
 * period, is refused at once as shutting down (never cut); the process exits with status 0.
 */
class GracefulExitProcessTest {
    private static final int PER_TRANSPORT = 4;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private ChildJvmService service;
    private ManagedChannel channel;

    @AfterEach
    void cleanUp() throws InterruptedException {
        GrpcTestChannels.close(channel);
        if (service != null) {
            service.close();
        }
    }

    @Test
    void sigtermLetsRequestsInFlightOnBothTransportsFinishAndExitsZero() throws Exception {
        try {
            sigtermWhileRequestsAreInFlight();
        } catch (Throwable failure) {
            // What the service said is the first thing one needs to understand a failure here.
            if (service != null) {
                System.out.println("service output:\n" + String.join("\n", service.output()));
            }
            throw failure;
        }
    }

    private void sigtermWhileRequestsAreInFlight() throws Exception {
        // One image at a time, so that the others queue; no periodic health checks in the way.
        service = new ChildJvmService("-Xmx512m", "-Ddw.limits.maxConcurrent=1", "-Ddw.ops.healthCheckInterval=10m");
        int httpPort = service.httpPort();
        channel = GrpcTestChannels.localhost(service.grpcPort());

        TestImages.Pixels photo = TestImages.photoLike(1600, 1200, 3, 8, 71);
        byte[] png = TestImages.encode(photo, ".png");
        TestImages.Pixels expected = photo.swapped();
        List<CompletableFuture<HttpResponse<byte[]>>> httpRequests = new ArrayList<>();
        List<ListenableFuture<ImageResponse>> grpcCalls = new ArrayList<>();
        ImageServiceGrpc.ImageServiceFutureStub grpc = ImageServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        for (int i = 0; i < PER_TRANSPORT; i++) {
            httpRequests.add(http.sendAsync(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + httpPort + "/api/v1/process"))
                    .header("Content-Type", "image/png").timeout(Duration.ofSeconds(60))
                    .POST(BodyPublishers.ofByteArray(png)).build(), BodyHandlers.ofByteArray()));
            grpcCalls.add(grpc.processImage(ImageRequest.newBuilder()
                    .setImageData(UnsafeByteOperations.unsafeWrap(png)).build()));
        }
        List<Future<?>> all = new ArrayList<>(httpRequests);
        all.addAll(grpcCalls);

        // Every request is either done or inside the service (in work or waiting for admission).
        int[] inside = new int[1];
        ChildJvmService.awaitTrue(() -> {
            inside[0] = (int) (service.gauge(MetricNames.ADMISSION_IN_FLIGHT) + service.gauge(MetricNames.ADMISSION_QUEUED));
            long done = all.stream().filter(Future::isDone).count();
            return inside[0] + done == all.size();
        }, "all requests reached the service", 60);
        assertThat(inside[0]).as("requests in the service when SIGTERM is sent").isPositive();

        // SIGTERM, with our end of the pipes still open, so that the service's shutdown lines are kept.
        service.terminate();

        // Every accepted request gets its whole, exact answer, or (if it was still waiting and could not
        // be done within the grace period at the recent pace) a shutdown refusal at once: never a cut.
        int answered = 0;
        for (CompletableFuture<HttpResponse<byte[]>> request : httpRequests) {
            HttpResponse<byte[]> response = request.get(60, TimeUnit.SECONDS);
            String body = response.statusCode() == 200 ? "" : new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() == 200) {
                assertThat(TestImages.decode(response.body())).isEqualTo(expected);
                answered++;
            } else {
                assertThat(response.statusCode()).as(body).isEqualTo(503);
                assertThat(body).contains("shutting down");
            }
        }
        for (ListenableFuture<ImageResponse> call : grpcCalls) {
            try {
                assertThat(TestImages.decode(call.get(60, TimeUnit.SECONDS).getImageData().toByteArray())).isEqualTo(expected);
                answered++;
            } catch (java.util.concurrent.ExecutionException e) {
                io.grpc.Status status = io.grpc.Status.fromThrowable(e.getCause());
                assertThat(status.getCode()).as(status.toString()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                assertThat(status.getDescription()).contains("shutting down");
            }
        }
        assertThat(answered).as("the request in work at least is answered").isPositive();
        int exitStatus = service.awaitExit(60);
        assertThat(exitStatus).as("the service exits").isNotEqualTo(-1);
        List<String> output = service.output();
        System.out.printf("graceful exit: %d of %d requests in the service at SIGTERM, %d answered whole, the rest"
                + " refused as shutting down, exit status %d%n", inside[0], all.size(), answered, exitStatus);
        assertThat(exitStatus).as(String.join("\n", output)).isZero();
        assertThat(output).anyMatch(line -> line.contains("SIGTERM received"))
                .anyMatch(line -> line.contains("gRPC server stopped"));
    }
}
