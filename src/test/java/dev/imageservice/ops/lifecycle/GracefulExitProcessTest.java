package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.ops.metrics.MetricNames;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service as a process manager runs it: {@code java ... server config.yml} in a JVM of its
 * own, sent SIGTERM while 2 MP images are in work and queued on both transports (one image at a
 * time). Every request completes with the right pixels or, if it could not be done within the grace
 * period, is refused at once as shutting down (never cut); the process exits with status 0.
 */
class GracefulExitProcessTest {
    private static final Pattern READY = Pattern.compile("ready: HTTP port (\\d+), admin port (\\d+), gRPC port (\\d+)");
    private static final int PER_TRANSPORT = 4;

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private Process service;
    private Thread outputReader;
    private ManagedChannel channel;

    @AfterEach
    void cleanUp() throws InterruptedException {
        GrpcTestChannels.close(channel);
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermLetsRequestsInFlightOnBothTransportsFinishAndExitsZero() throws Exception {
        try {
            sigtermWhileRequestsAreInFlight();
        } catch (Throwable failure) {
            // What the service said is the first thing one needs to understand a failure here.
            outputReader.join(TimeUnit.SECONDS.toMillis(5));
            System.out.println("service output:\n" + String.join("\n", output));
            throw failure;
        }
    }

    private void sigtermWhileRequestsAreInFlight() throws Exception {
        service = start();
        Matcher ports = awaitReadyLine();
        int httpPort = Integer.parseInt(ports.group(1));
        int adminPort = Integer.parseInt(ports.group(2));
        channel = GrpcTestChannels.localhost(Integer.parseInt(ports.group(3)));

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
        awaitTrue(() -> {
            inside[0] = admission(adminPort);
            long done = all.stream().filter(Future::isDone).count();
            return inside[0] + done == all.size();
        }, "all requests reached the service");
        assertThat(inside[0]).as("requests in the service when SIGTERM is sent").isPositive();

        // SIGTERM. Not Process.destroy(): that also closes our end of the pipes, and the service's
        // shutdown lines would be lost.
        assertThat(service.toHandle().destroy()).isTrue();

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
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).as("the service exits").isTrue();
        outputReader.join(TimeUnit.SECONDS.toMillis(10)); // the last lines may still be in the pipe
        System.out.printf("graceful exit: %d of %d requests in the service at SIGTERM, %d answered whole, the rest"
                + " refused as shutting down, exit status %d%n", inside[0], all.size(), answered, service.exitValue());
        assertThat(service.exitValue()).as(String.join("\n", output)).isZero();
        assertThat(output).anyMatch(line -> line.contains("SIGTERM received"))
                .anyMatch(line -> line.contains("gRPC server stopped"));
    }

    private Process start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m",
                // One image at a time, so that the others queue; no periodic health checks in the way.
                "-Ddw.limits.maxConcurrent=1", "-Ddw.ops.healthCheckInterval=10m",
                "-cp", System.getProperty("java.class.path"),
                ImageServiceApplication.class.getName(), "server", AppUnderTest.shippedConfig())
                .redirectErrorStream(true);
        builder.environment().put("HTTP_PORT", "0");
        builder.environment().put("ADMIN_PORT", "0");
        builder.environment().put("GRPC_PORT", "0");
        builder.environment().put("LOG_LEVEL", "INFO");
        Process process = builder.start();
        outputReader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                output.add("(output ended: " + e + ")");
            }
        }, "service-output");
        outputReader.setDaemon(true);
        outputReader.start();
        return process;
    }

    private Matcher awaitReadyLine() throws InterruptedException {
        Matcher[] ready = new Matcher[1];
        awaitTrue(() -> {
            assertThat(service.isAlive()).as("the service died: %s", String.join("\n", output)).isTrue();
            return output.stream().map(READY::matcher).filter(Matcher::find).findFirst()
                    .map(m -> ready[0] = m).isPresent();
        }, "the ready line");
        return ready[0];
    }

    /** Requests in work plus waiting for admission, from the admin port's metrics. */
    private int admission(int adminPort) {
        try {
            JsonNode gauges = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + adminPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    BodyHandlers.ofString()).body()).path("gauges");
            return gauges.path(MetricNames.ADMISSION_IN_FLIGHT).path("value").asInt()
                    + gauges.path(MetricNames.ADMISSION_QUEUED).path("value").asInt();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the admin metrics", e);
        }
    }

    /** Polls until {@code condition} holds; the limit only keeps a broken build from hanging. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as("still waiting: " + what).isNegative();
            Thread.sleep(20);
        }
    }
}
