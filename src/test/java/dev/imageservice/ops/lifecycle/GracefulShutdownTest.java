package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping the service while requests are in flight on both transports: from the moment the stop
 * begins neither transport takes new work, and every request accepted before it completes with the
 * right pixels. One image at a time; the first is held in work at a gate until the stop has begun,
 * four more (two per transport) wait for admission behind it.
 */
class GracefulShutdownTest {
    private final DropwizardTestSupport<ImageServiceConfiguration> support = new DropwizardTestSupport<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("limits.maxConcurrent", "1"),
                    ConfigOverride.config("limits.maxQueueWait", "5m"),
                    ConfigOverride.config("ops.healthCheckInterval", "10m"),
                    ConfigOverride.config("logging.level", "WARN")));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private ManagedChannel channel;
    private GatedApplication.Gate gate;
    private int httpPort;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (gate != null) {
            gate.letThrough();
        }
        GrpcTestChannels.close(channel);
        support.after(); // a no-op if the test stopped the app already
    }

    @Test
    void requestsInFlightOnBothTransportsCompleteAndNewOnesAreRefused() throws Exception {
        support.before();
        ImageServiceApplication app = support.getApplication();
        httpPort = support.getLocalPort(); // Jetty reports no port once it stops accepting
        channel = GrpcTestChannels.localhost(app.grpcServer().getPort());
        ImageServiceGrpc.ImageServiceFutureStub grpc = ImageServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        TestImages.Pixels httpPhoto = TestImages.photoLike(80, 60, 3, 8, 61);
        TestImages.Pixels grpcPhoto = TestImages.photoLike(70, 50, 4, 8, 62);
        byte[] httpPng = TestImages.encode(httpPhoto, ".png");
        ImageRequest grpcRequest = ImageRequest.newBuilder()
                .setImageData(UnsafeByteOperations.unsafeWrap(TestImages.encode(grpcPhoto, ".png"))).build();

        gate = GatedApplication.Gate.closeForNextRequests();
        CompletableFuture<HttpResponse<byte[]>> held = http.sendAsync(post(httpPng), BodyHandlers.ofByteArray());
        assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("the first image is in work").isTrue();
        List<CompletableFuture<HttpResponse<byte[]>>> httpQueued = List.of(
                http.sendAsync(post(httpPng), BodyHandlers.ofByteArray()),
                http.sendAsync(post(httpPng), BodyHandlers.ofByteArray()));
        List<ListenableFuture<ImageResponse>> grpcQueued = List.of(
                grpc.processImage(grpcRequest), grpc.processImage(grpcRequest));
        awaitTrue(() -> GatedApplication.admission().queued() == 4, "four requests wait for admission");

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(support::after);
        GracefulHandler jetty = support.getEnvironment().getApplicationContext().getServer()
                .getDescendant(GracefulHandler.class);
        awaitTrue(() -> !app.grpcServer().isServing(), "gRPC stops accepting");
        awaitTrue(jetty::isShutdown, "Jetty stops accepting");

        // New work is refused on both transports while the accepted requests are still waiting.
        assertThatThrownBy(() -> ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .processImage(grpcRequest))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        CompletableFuture<HttpResponse<byte[]>> late = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()
                .sendAsync(post(httpPng), BodyHandlers.ofByteArray());
        assertThat(stopped).isNotDone();
        assertThat(GatedApplication.admission().queued()).isEqualTo(4);

        gate.letThrough();
        for (CompletableFuture<HttpResponse<byte[]>> request : List.of(held, httpQueued.get(0), httpQueued.get(1))) {
            HttpResponse<byte[]> response = request.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestImages.decode(response.body())).isEqualTo(httpPhoto.swapped());
        }
        for (ListenableFuture<ImageResponse> call : grpcQueued) {
            assertThat(TestImages.decode(call.get(30, TimeUnit.SECONDS).getImageData().toByteArray()))
                    .isEqualTo(grpcPhoto.swapped());
        }
        stopped.get(30, TimeUnit.SECONDS);
        try {
            HttpResponse<byte[]> response = late.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as("an HTTP request sent after the stop began").isEqualTo(503);
        } catch (ExecutionException refused) {
            // Or never answered: the connection was not accepted, and is closed once Jetty has stopped.
            assertThat(refused.getCause()).isInstanceOf(java.io.IOException.class);
        }
    }

    private HttpRequest post(byte[] png) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/api/v1/process"))
                .header("Content-Type", "image/png").timeout(Duration.ofSeconds(60))
                .POST(BodyPublishers.ofByteArray(png)).build();
    }

    /** Polls until {@code condition} holds; the limit only keeps a broken build from hanging. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as("still waiting: " + what).isNegative();
            Thread.sleep(10);
        }
    }
}
