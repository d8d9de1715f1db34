package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GatedApplication;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upload that waits for admission holds only the head of its image (what the header checks
 * read), not the image: a raw body with a {@code Content-Length} leaves its rest with the client, a
 * multipart form's image part stays in its temporary file; the rest is read once it is admitted. So
 * more uploads wait than the budget's input share could hold whole, and none of them is refused.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeferredBodyHttpTest {
    static final TestImages.Pixels PHOTO = TestImages.photoLike(1600, 1200, 3, 8, 7);
    static final byte[] PNG = TestImages.encode(PHOTO, ".png");
    static final int WAITING = 6;
    /** The smallest budget allowed: its input share (65%, 10.4 MiB) holds few of these bodies whole. */
    static final String BUDGET = "16MiB";

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            GatedApplication.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts(
                    ConfigOverride.config("limits.maxConcurrent", "1"),
                    ConfigOverride.config("limits.memoryBudget", BUDGET),
                    ConfigOverride.config("limits.maxQueueWait", "5m"),
                    ConfigOverride.config("ops.healthCheckInterval", "10m")));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private GatedApplication.Gate gate;

    @AfterEach
    void openTheGate() {
        if (gate != null) {
            gate.letThrough();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void waitingUploadsHoldOnlyTheirHeadAndAllSucceed(boolean multipart) throws Exception {
        AdmissionController admission = GatedApplication.admission();
                assertThat(admission.inputShareBytes()).as("PNG of %d bytes", PNG.length).isLessThan(3L * PNG.length);
        gate = GatedApplication.Gate.closeForNextRequests();
        List<CompletableFuture<HttpResponse<byte[]>>> uploads = new ArrayList<>();
        uploads.add(HTTP.sendAsync(post(multipart), BodyHandlers.ofByteArray()));
        assertThat(gate.awaitHeld(1, 30, TimeUnit.SECONDS)).as("the first upload is in work").isTrue();
        for (int i = 0; i < WAITING; i++) {
            uploads.add(HTTP.sendAsync(post(multipart), BodyHandlers.ofByteArray()));
        }
        awaitTrue(() -> admission.queued() == WAITING || uploads.stream().anyMatch(CompletableFuture::isDone),
                WAITING + " uploads waiting");
        assertThat(uploads).as("none answered while the first is held").noneMatch(CompletableFuture::isDone);
        assertThat(admission.queued()).isEqualTo(WAITING);
        // Each waiting upload holds the head its header was checked from, not its body.
        assertThat(admission.bytesWaiting()).isEqualTo(WAITING * 256L * 1024);

        gate.letThrough();
        TestImages.Pixels expected = PHOTO.swapped();
        for (CompletableFuture<HttpResponse<byte[]>> upload : uploads) {
            HttpResponse<byte[]> response = upload.get(120, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(TestImages.decode(response.body())).isEqualTo(expected);
        }
        awaitTrue(() -> admission.bytesInUse() == 0, "the budget's gauges back to 0");
    }

    @Test
    void aBodyCutShortAfterAdmissionIsABadRequestAndGivesItsMemoryBack() throws Exception {
        AdmissionController admission = GatedApplication.admission();
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                    + "Content-Length: " + PNG.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(PNG, 0, PNG.length / 2);
            out.flush();
            socket.shutdownOutput(); // the rest never comes
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("could not be read to its end");
        }
        awaitTrue(() -> admission.bytesInUse() == 0, "the budget's gauges back to 0");
    }

    /** Polls until {@code condition} holds; the limit only keeps a broken build from hanging. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as("still waiting: " + what).isNegative();
            Thread.sleep(10);
        }
    }

    /** The image as the raw body, or as the file part of a form (kept by Jersey in a temporary file). */
    private static HttpRequest post(boolean multipart) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .timeout(Duration.ofSeconds(120));
        if (multipart) {
            byte[] form = new Multipart().file(ProcessResource.FILE_PART, "photo.png", "image/png", PNG).field("op", "swap").build();
            return request.header("Content-Type", Multipart.CONTENT_TYPE).POST(BodyPublishers.ofByteArray(form)).build();
        }
        return request.header("Content-Type", "image/png").POST(BodyPublishers.ofByteArray(PNG)).build();
    }
}
