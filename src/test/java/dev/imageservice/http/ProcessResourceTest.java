package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.RawHttp;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/process} on the real application (shipped config.yml, random ports), spoken to
 * by a plain HTTP client: pixels of the answers and the status and JSON body of every refusal.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProcessResourceTest {
    private static final int LIMIT = 1024 * 1024;

    private static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            // The shipped config.yml (surefire runs in the project directory), on free ports.
            ImageServiceApplication.class, "config.yml",
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("grpc.port", "0"),
            ConfigOverride.config("limits.maxInputSize", "1MiB"));

    // One client per test: after a 413 the server closes the connection, and a pooled connection
    // shared across tests can be picked up just as it closes ("header parser received no bytes").
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void multipartUploadReturnsTheChannelSwappedPng() throws Exception {
        Pixels original = TestImages.photoLike(97, 61, 3, 8, 1);
        byte[] body = new Multipart()
                .file("image", "holiday.tiff", "image/tiff", TestImages.encode(original, ".tiff"))
                .build();

        HttpResponse<byte[]> response = send(post(Multipart.CONTENT_TYPE, BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"holiday.png\"");
        assertThat(response.headers().firstValue("X-Image-Width")).hasValue("97");
        assertThat(response.headers().firstValue("X-Image-Height")).hasValue("61");
        assertThat(response.headers().firstValue("X-Input-Format")).hasValue("TIFF");
        assertThat(Double.parseDouble(response.headers().firstValue("X-Processing-Time-Ms").orElseThrow()))
                .isPositive();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
        assertThat(TestImages.decode(response.body())).usingRecursiveComparison().isEqualTo(original.swapped());
    }

    @Test
    void multipartUploadIgnoresOtherFields() throws Exception {
        Pixels original = TestImages.photoLike(40, 30, 3, 8, 2);
        byte[] body = new Multipart()
                .field("note", "sent from a form with more fields")
                .file("image", "scan.png", "image/png", TestImages.encode(original, ".png"))
                .build();

        HttpResponse<byte[]> response = send(post(Multipart.CONTENT_TYPE, BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).usingRecursiveComparison().isEqualTo(original.swapped());
    }

    @Test
    void rawBodyReturnsTheChannelSwappedPng() throws Exception {
        // 16-bit with alpha: the same semantics as over gRPC (depth kept, alpha stays alpha).
        Pixels original = TestImages.photoLike(50, 40, 4, 16, 3);

        HttpResponse<byte[]> response = send(post("image/png",
                BodyPublishers.ofByteArray(TestImages.encode(original, ".png"))));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"image.png\"");
        assertThat(TestImages.decode(response.body())).usingRecursiveComparison().isEqualTo(original.swapped());
    }

    @Test
    void rawBodyAsOctetStreamIsAccepted() throws Exception {
        Pixels original = TestImages.photoLike(33, 21, 3, 8, 4);

        HttpResponse<byte[]> response = send(post("application/octet-stream",
                BodyPublishers.ofByteArray(TestImages.encode(original, ".bmp"))));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).usingRecursiveComparison().isEqualTo(original.swapped());
    }

    @Test
    void emptyRawBodyIsBadRequest() throws Exception {
        assertError(send(post("image/jpeg", BodyPublishers.noBody())), 400, "empty");
    }

    @Test
    void emptyFilePartIsBadRequest() throws Exception {
        byte[] body = new Multipart().file("image", "empty.jpg", "image/jpeg", new byte[0]).build();
        assertError(send(post(Multipart.CONTENT_TYPE, BodyPublishers.ofByteArray(body))), 400, "empty");
    }

    @Test
    void garbageIsBadRequest() throws Exception {
        byte[] body = new Multipart()
                .file("image", "notes.jpg", "image/jpeg", "these are not pixels".getBytes(StandardCharsets.UTF_8))
                .build();
        assertError(send(post(Multipart.CONTENT_TYPE, BodyPublishers.ofByteArray(body))), 400,
                "could not decode the image");
    }

    @Test
    void gifIsUnsupportedMediaType() throws Exception {
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, ';'};
        assertError(send(post("image/gif", BodyPublishers.ofByteArray(gif))), 415, "GIF");
    }

    @Test
    void missingFilePartIsBadRequest() throws Exception {
        byte[] body = new Multipart()
                .file("photo", "holiday.png", "image/png", TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 5), ".png"))
                .build();
        assertError(send(post(Multipart.CONTENT_TYPE, BodyPublishers.ofByteArray(body))), 400,
                "missing file part 'image'");
    }

    @Test
    void rawBodyDeclaredOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
        // Headers only: the server must answer from Content-Length without waiting for the body.
        RawHttp.Answer response = headersOnly("image/jpeg", LIMIT + 1);

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 413 Payload Too Large");
        assertThat(response.body()).isEqualTo(
                "{\"code\":413,\"message\":\"the image is larger than the limit of 1048576 bytes (1.0 MiB)\"}");
    }

    @Test
    void rawBodyOfUnknownLengthOverTheLimitIsRefused() throws Exception {
        // Chunked: no length to check up front, so the resource counts and stops at limit + 1.
        AtomicLong bytesPulled = new AtomicLong();
        BodyPublisher body = BodyPublishers.ofInputStream(() -> new ZeroStream(LIMIT + 1, bytesPulled));

        assertError(send(post("image/jpeg", body)), 413, "larger than the limit");
    }

    @Test
    void rawBodyOfExactlyTheLimitIsProcessed() throws Exception {
        // The limit is inclusive: pad a real PNG with trailing bytes (which decoders ignore).
        Pixels original = TestImages.photoLike(16, 16, 3, 8, 6);
        byte[] png = TestImages.encode(original, ".png");
        byte[] padded = java.util.Arrays.copyOf(png, LIMIT);

        HttpResponse<byte[]> response = send(post("image/png", BodyPublishers.ofByteArray(padded)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(response.body())).usingRecursiveComparison().isEqualTo(original.swapped());
    }

    @Test
    void multipartDeclaredOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
        RawHttp.Answer response = headersOnly(Multipart.CONTENT_TYPE, LIMIT + RequestSizeLimitFilter.MULTIPART_OVERHEAD_BYTES + 1);

        assertThat(response.statusLine()).isEqualTo("HTTP/1.1 413 Payload Too Large");
        assertThat(response.body()).contains("\"code\":413", "larger than the limit");
    }

    @Test
    void multipartOfUnknownLengthOverTheLimitIsRefused() throws Exception {
        byte[] body = new Multipart().file("image", "huge.jpg", "image/jpeg", new byte[LIMIT + 70_000]).build();
        BodyPublisher chunked = BodyPublishers.ofInputStream(() -> new CountingStream(body, new AtomicLong()));

        assertError(send(post(Multipart.CONTENT_TYPE, chunked)), 413, "larger than the limit");
    }

    @Test
    void filePartJustOverTheLimitIsRefused() throws Exception {
        // Within the multipart allowance as a whole, but the image itself is one byte too many.
        byte[] body = new Multipart().file("image", "big.jpg", "image/jpeg", new byte[LIMIT + 1]).build();
        assertError(send(post(Multipart.CONTENT_TYPE, BodyPublishers.ofByteArray(body))), 413, "larger than the limit");
    }

    @Test
    void getIsMethodNotAllowed() throws Exception {
        assertError(send(HttpRequest.newBuilder(uri()).GET().build()), 405, "Method Not Allowed");
    }

    @Test
    void putIsMethodNotAllowed() throws Exception {
        assertError(send(HttpRequest.newBuilder(uri()).header("Content-Type", "image/png")
                .PUT(BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build()), 405, "Method Not Allowed");
    }

    @Test
    void textBodyIsUnsupportedMediaType() throws Exception {
        assertError(send(post("text/plain", BodyPublishers.ofString("hello"))), 415, "Unsupported Media Type");
    }

    @Test
    void urlEncodedFormIsUnsupportedMediaType() throws Exception {
        // What `curl --data-binary @photo.jpg` sends when no Content-Type is given.
        assertError(send(post("application/x-www-form-urlencoded", BodyPublishers.ofString("image=x"))), 415,
                "Unsupported Media Type");
    }

    @Test
    void multipartWithoutBoundaryIsBadRequest() throws Exception {
        assertError(send(post("multipart/form-data", BodyPublishers.ofString("no parts here"))), 400, "Bad Request");
    }

    @Test
    void unknownApiPathIsNotFoundAsJson() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/nope")).GET().build());
        assertError(response, 404, "Not Found");
    }

    @Test
    void uploadPageIsServedAtTheRootAndPostsToTheApi() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + "/")).GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        // Without JavaScript the form itself must do the upload.
        assertThat(response.body())
                .contains("action=\"/api/v1/process\"", "method=\"post\"", "enctype=\"multipart/form-data\"",
                        "name=\"image\"");
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String messagePart) throws IOException {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = JSON.readTree(body);
        assertThat(json.get("code").asInt()).isEqualTo(status);
        assertThat(json.get("message").asText()).contains(messagePart);
        assertThat(json.size()).as("only code and message: %s", body).isEqualTo(2);
        assertThat(body).doesNotContain("Exception", "\tat ", ".java:");
    }

    /**
     * Sends only the headers of a POST that announces {@code contentLength} bytes and
     * {@code Expect: 100-continue}, then reads what the server says. A server that waited for the
     * body would time out here; one that asked for it would answer "100 Continue" first. (A raw
     * socket because JDK 17's HttpClient can hang when the answer to Expect is not 100.)
     */
    private static RawHttp.Answer headersOnly(String contentType, long contentLength) throws IOException {
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST /api/v1/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + contentLength + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return RawHttp.readAnswer(socket.getInputStream());
        }
    }

    private static HttpRequest post(String contentType, BodyPublisher body) {
        return HttpRequest.newBuilder(uri()).header("Content-Type", contentType).timeout(TIMEOUT).POST(body).build();
    }

    private static URI uri() {
        return URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process");
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, BodyHandlers.ofByteArray());
    }

    /** {@code length} zero bytes, counting what the client actually pulled to send. */
    private static final class ZeroStream extends InputStream {
        private long remaining;
        private final AtomicLong pulled;

        ZeroStream(long length, AtomicLong pulled) {
            this.remaining = length;
            this.pulled = pulled;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
            remaining -= n;
            pulled.addAndGet(n);
            return n;
        }
    }

    /** The given bytes, counting what the client actually pulled to send. */
    private static final class CountingStream extends java.io.ByteArrayInputStream {
        private final AtomicLong pulled;

        CountingStream(byte[] data, AtomicLong pulled) {
            super(data);
            this.pulled = pulled;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                pulled.addAndGet(n);
            }
            return n;
        }
    }
}
