package dev.imageservice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.LocalCluster;
import dev.imageservice.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged jar behind HAProxy ({@code scripts/local-cluster.sh}); one is sent
 * SIGTERM in the middle of a steady burst of gRPC and HTTP calls through the proxy. Its health
 * turns 503 on {@code /ready}, HAProxy takes it out during the drain delay, it finishes what it
 * has and exits; every call, before, during and after, comes back OK with the exact channel swap.
 */
class LocalClusterRollIT {
    private static final int CLIENTS_PER_TRANSPORT = 3;

    private final ConcurrentLinkedQueue<Call> done = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private LocalCluster cluster;
    private ManagedChannel channel;

    /** One call: when it started and ended (nanoTime), and what came back. */
    private record Call(String transport, long started, long ended, String status, byte[] body) {
    }

    @AfterEach
    void tearDown() throws Exception {
        stop.set(true);
        GrpcTestChannels.close(channel);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReplicaStoppedGracefullyDuringABurstLosesNoCallOnEitherTransport() throws Exception {
        cluster = LocalCluster.up(2, Map.of("SHUTDOWN_DRAIN_DELAY", "3s"));
        TestImages.Pixels photo = TestImages.photoLike(320, 240, 3, 8, 17);
        byte[] png = TestImages.encode(photo, ".png");
        TestImages.Pixels expected = photo.swapped();

        channel = GrpcTestChannels.localhost(cluster.grpcPort);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS_PER_TRANSPORT; i++) {
            clients.add(new Thread(() -> grpcLoop(png), "grpc-client-" + i));
            clients.add(new Thread(() -> httpLoop(http, png), "http-client-" + i));
        }
        for (Thread client : clients) {
            client.start();
        }
        awaitTrue(() -> count("grpc", 0) >= 4 && count("http", 0) >= 4, "calls through the proxy before the stop");

        long pid = cluster.pid("r1");
        ProcessHandle replica = ProcessHandle.of(pid).orElseThrow();
        long sigterm = System.nanoTime();
        assertThat(replica.destroy()).as("SIGTERM to r1").isTrue();
        assertThat(replica.onExit().get(90, TimeUnit.SECONDS).isAlive()).isFalse();
        long exited = System.nanoTime();
        // Calls go on to the survivor for a while after the stop.
        long before = count("grpc", exited) + count("http", exited);
        awaitTrue(() -> count("grpc", exited) + count("http", exited) >= before + 4, "calls after the stop");
        stop.set(true);
        for (Thread client : clients) {
            client.join(TimeUnit.SECONDS.toMillis(120));
        }

        List<Call> all = new ArrayList<>(done);
        List<Call> failed = all.stream().filter(call -> !call.status().equals("OK") && !call.status().equals("200")).toList();
        long duringStop = all.stream().filter(c -> c.ended() > sigterm && c.started() < exited).count();
        System.out.printf("local cluster roll: %d calls (%d gRPC, %d HTTP), %d overlapping the %d ms from SIGTERM to exit, %d failed%n",
                all.size(), count("grpc", 0), count("http", 0), duringStop,
                TimeUnit.NANOSECONDS.toMillis(exited - sigterm), failed.size());
        assertThat(failed).as("failed calls").isEmpty();
        assertThat(duringStop).as("calls while r1 was draining and stopping").isPositive();
        for (Call call : all) {
            assertThat(TestImages.decode(call.body())).as("pixels of a %s call", call.transport()).isEqualTo(expected);
        }

        // Both replicas were given work by HAProxy, on both transports, and r1 stopped in order.
        Map<String, Map<String, String>> stats = cluster.stats();
        for (String server : List.of("grpc_replicas/r1", "grpc_replicas/r2", "http_replicas/r1", "http_replicas/r2")) {
            assertThat(Long.parseLong(stats.get(server).get("stot"))).as("requests HAProxy gave %s", server).isPositive();
        }
        assertThat(stats.get("grpc_replicas/r1").get("status")).startsWith("DOWN");
        assertThat(stats.get("grpc_replicas/r2").get("status")).isEqualTo("UP");
        assertThat(cluster.log("r1")).contains("SIGTERM received").contains("drain delay of 3000 ms")
                .contains("gRPC server stopped");
    }

    private void grpcLoop(byte[] png) {
        ImageRequest request = ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(png)).build();
        while (!stop.get()) {
            long started = System.nanoTime();
            try {
                byte[] body = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .processImage(request).getImageData().toByteArray();
                done.add(new Call("grpc", started, System.nanoTime(), "OK", body));
            } catch (RuntimeException e) {
                Status status = Status.fromThrowable(e);
                done.add(new Call("grpc", started, System.nanoTime(), status.getCode() + " " + status.getDescription(), null));
            }
        }
    }

    private void httpLoop(HttpClient http, byte[] png) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort + "/api/v1/process"))
                .header("Content-Type", "image/png").timeout(Duration.ofSeconds(60))
                .POST(BodyPublishers.ofByteArray(png)).build();
        while (!stop.get()) {
            long started = System.nanoTime();
            try {
                HttpResponse<byte[]> response = http.send(request, BodyHandlers.ofByteArray());
                done.add(new Call("http", started, System.nanoTime(), String.valueOf(response.statusCode()),
                        response.body()));
            } catch (Exception e) {
                done.add(new Call("http", started, System.nanoTime(), e.toString(), null));
                if (e instanceof InterruptedException) {
                    return;
                }
            }
        }
    }

    /** Calls of {@code transport} that started after {@code since} (nanoTime; 0 = all). */
    private long count(String transport, long since) {
        return done.stream().filter(c -> c.transport().equals(transport) && (since == 0 || c.started() > since)).count();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as("still waiting: " + what).isNegative();
            Thread.sleep(50);
        }
    }
}
