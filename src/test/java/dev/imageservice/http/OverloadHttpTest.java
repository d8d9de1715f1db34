package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.ProcessMemory;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * More concurrent uploads than capacity over HTTP: one image in work (held there by the test),
 * two waiting, so every further upload must be refused as overloaded at once; then the three
 * admitted ones finish with the right pixels. Twice, and the second time leaves nothing behind.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OverloadHttpTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("limits.maxConcurrent", "1"),
                    ConfigOverride.config("limits.maxQueued", "2"),
                    // Longer than any hang guard: the two queued uploads wait for the gate, not for a timer.
                    ConfigOverride.config("limits.maxQueueWait", "5m"),
                    ConfigOverride.config("ops.healthCheckInterval", "10m")));

    static final int MORE_UPLOADS = 15;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatedApplication.Gate gate;

    @AfterEach
    void openTheGate() {
        if (gate != null) {
            gate.letThrough();
        }
    }

    @Test
    void admittedUploadsSucceedAndTheRestAreRefusedAsOverloadedWithRetryAfter() throws Exception {
        TestImages.Pixels photo = TestImages.photoLike(1600, 1200, 3, 8, 42);
        byte[] png = TestImages.encode(photo, ".png");
        TestImages.Pixels expected = photo.swapped();

        // The first round also pays what is allocated once and kept (classes, threads, buffers of both sides).
        Round first = overload(png, expected);
        long rssBefore = ProcessMemory.residentKib();
        long heapBefore = ProcessMemory.heapUsedAfterGc();
        Round second = overload(png, expected);
        long rssGrowthMib = (ProcessMemory.residentKib() - rssBefore) / 1024;
        long heapGrowthMib = (ProcessMemory.heapUsedAfterGc() - heapBefore) >> 20;

        System.out.printf("overload over HTTP: 2 rounds of %d uploads of %d bytes (1600x1200): %s and %s; "
                + "over the second round RSS growth %d MiB, heap growth after GC %d MiB (max heap %d MiB)%n",
                MORE_UPLOADS + 1, png.length, first, second, rssGrowthMib, heapGrowthMib,
                Runtime.getRuntime().maxMemory() >> 20);
        for (Round round : List.of(first, second)) {
            assertThat(round.ok()).as("one in work and two queued").isEqualTo(3);
            assertThat(round.overloaded()).isEqualTo(MORE_UPLOADS + 1 - 3);
        }
        // Bounded: the heap is capped (-Xmx1g in the test run) and a second overload retains nothing more.
        assertThat(rssGrowthMib).as("RSS growth").isLessThan(512);
        assertThat(heapGrowthMib).as("heap growth after GC").isLessThan(32);
    }

    private record Round(int ok, int overloaded) {
        @Override
        public String toString() {
            return ok + " ok, " + overloaded + " refused as overloaded";
        }
    }

    /** One upload held in work, {@value #MORE_UPLOADS} more at once, then the held one let go. */
    private Round overload(byte[] png, TestImages.Pixels expected) throws Exception {
        gate = GatedApplication.Gate.closeForNextRequests();
        List<CompletableFuture<HttpResponse<byte[]>>> uploads = new ArrayList<>();
        uploads.add(HTTP.sendAsync(post(png), BodyHandlers.ofByteArray()));
        assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("the first upload is in work").isTrue();
        for (int i = 0; i < MORE_UPLOADS; i++) {
            uploads.add(HTTP.sendAsync(post(png), BodyHandlers.ofByteArray()));
        }

        // With the one in work held, two wait and every other upload is refused without waiting.
        int refusals = MORE_UPLOADS - 2;
        awaitTrue(() -> uploads.stream().filter(CompletableFuture::isDone).count() == refusals,
                refusals + " uploads answered while the first is held");
        assertThat(GatedApplication.admission().queued()).isEqualTo(2);
        int overloaded = 0;
        List<CompletableFuture<HttpResponse<byte[]>>> admitted = new ArrayList<>();
        for (CompletableFuture<HttpResponse<byte[]>> upload : uploads) {
            if (!upload.isDone()) {
                admitted.add(upload);
                continue;
            }
            HttpResponse<byte[]> response = upload.get();
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(body).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            JsonNode json = JSON.readTree(body);
            assertThat(json.get("message").asText()).contains("overloaded");
            overloaded++;
        }
        gate.letThrough();
        int ok = 0;
        for (CompletableFuture<HttpResponse<byte[]>> upload : admitted) {
            HttpResponse<byte[]> response = upload.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(TestImages.decode(response.body())).isEqualTo(expected);
            ok++;
        }
        return new Round(ok, overloaded);
    }

    /** Polls until {@code condition} holds; the limit only keeps a broken build from hanging. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as("still waiting: " + what).isNegative();
            Thread.sleep(10);
        }
    }

    private static HttpRequest post(byte[] png) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").timeout(Duration.ofSeconds(60))
                .POST(BodyPublishers.ofByteArray(png)).build();
    }
}
