package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Over HTTP the API key's name is the client of the fair shares: alice past her cap is refused, bob still waits his turn. */
@ExtendWith(DropwizardExtensionsSupport.class)
class FairShareHttpTest {
    static final String ALICE = "alice-0123456789abcdef";
    static final String BOB = "bob-fedcba9876543210";
    static final Path KEYS = ApiKeyIntegrationTest.keysFile("alice:" + ALICE + "\nbob:" + BOB + "\n");

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("security.apiKeysFile", KEYS.toString()),
                    ConfigOverride.config("limits.maxConcurrent", "1"),
                    ConfigOverride.config("limits.maxQueuedPerClient", "1")));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aliceBeyondHerOneQueuedRequestIsRefusedWhileBobIsQueued() throws Exception {
        TestImages.Pixels photo = TestImages.photoLike(64, 48, 3, 8, 7);
        byte[] png = TestImages.encode(photo, ".png");
        GatedApplication.Gate gate = GatedApplication.Gate.closeForNextRequests();
        try {
            CompletableFuture<HttpResponse<byte[]>> inWork = send(png, ALICE);
            assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<HttpResponse<byte[]>> aliceQueued = send(png, ALICE);
            awaitQueued("alice", 1);
            HttpResponse<byte[]> refused = send(png, ALICE).get(30, TimeUnit.SECONDS);
            // Bob's first request goes on the spare worker (he has nothing in work, alice has every
            // worker); his second waits in his own queue.
            CompletableFuture<HttpResponse<byte[]>> bobInWork = send(png, BOB);
            assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("bob's first on the spare worker").isTrue();
            CompletableFuture<HttpResponse<byte[]>> bob = send(png, BOB);
            awaitQueued("bob", 1);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(new String(refused.body())).contains("the limit per client");
            assertThat(bob).isNotDone();

            gate.letThrough();
            for (CompletableFuture<HttpResponse<byte[]>> answer : java.util.List.of(inWork, aliceQueued, bobInWork, bob)) {
                HttpResponse<byte[]> response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(TestImages.decode(response.body())).isEqualTo(photo.swapped());
            }
        } finally {
            gate.letThrough();
        }
    }

    private static CompletableFuture<HttpResponse<byte[]>> send(byte[] png, String key) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits until {@code client} has {@code count} requests queued (the health probe may queue too, as "" ). */
    private static void awaitQueued(String client, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (GatedApplication.admission().queuedBy(client) < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(GatedApplication.admission().queuedBy(client)).isEqualTo(count);
    }
}
