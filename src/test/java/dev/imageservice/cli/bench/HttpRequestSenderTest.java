package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the HTTP sender against a small JDK HTTP server that records what arrives. */
class HttpRequestSenderTest {
    private static final int REQUESTS = 4;

    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
    private final ConcurrentLinkedQueue<Integer> clientPorts = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> contentTypes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> bodies = new ConcurrentLinkedQueue<>();
    private HttpServer server;
    private byte[] answer;
    private int answerStatus = 200;
    private BenchImage image;

    @BeforeEach
    void startServer() throws IOException {
        image = BenchImage.of("in.jpg", PngCheckTest.encode(7, 5, "jpg"));
        answer = PngCheckTest.encode(7, 5, "png");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/process", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        callbacks.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
        bodies.add(exchange.getRequestBody().readAllBytes());
        // JDK 17's server closes such a connection without saying so; a client that is not told
        // pools it and may send its next request into the closing socket. Jetty says so.
        if ("close".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Connection"))) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        exchange.sendResponseHeaders(answerStatus, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private BenchTarget target() {
        return BenchTarget.parse("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private HttpRequestSender sender(boolean newConnectionPerRequest, HttpRequestSender.BodyKind body) {
        return new HttpRequestSender(target(), List.of(image), newConnectionPerRequest, body, Duration.ofSeconds(10), callbacks);
    }

    @Test
    void multipartBodyCarriesTheImageInPartImage() throws Exception {
        Outcome outcome;
        try (HttpRequestSender sender = sender(false, HttpRequestSender.BodyKind.MULTIPART)) {
            outcome = sender.send(image, 0).get();
        }

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.status()).isEqualTo("200");
        assertThat(outcome.receivedBytes()).isEqualTo(answer.length);
        assertThat(PngCheck.problem(outcome.head(), outcome.receivedBytes(), image)).isNull();
        String contentType = contentTypes.peek();
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        String boundary = contentType.substring(contentType.indexOf('=') + 1);
        byte[] body = bodies.peek();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("--" + boundary + "\r\n")
                .contains("Content-Disposition: form-data; name=\"image\"; filename=\"in.jpg\"\r\n")
                .contains("Content-Type: image/jpeg\r\n\r\n")
                .endsWith("\r\n--" + boundary + "--\r\n");
        int start = text.indexOf("\r\n\r\n") + 4;
        assertThat(java.util.Arrays.copyOfRange(body, start, start + image.data().length)).isEqualTo(image.data());
    }

    @Test
    void rawBodyIsTheImageWithItsMediaType() throws Exception {
        try (HttpRequestSender sender = sender(false, HttpRequestSender.BodyKind.RAW)) {
            sender.send(image, 0).get();
        }

        assertThat(contentTypes.peek()).isEqualTo("image/jpeg");
        assertThat(bodies.peek()).isEqualTo(image.data());
    }

    @Test
    void keptConnectionsAreReused() throws Exception {
        try (HttpRequestSender sender = sender(false, HttpRequestSender.BodyKind.MULTIPART)) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(sender.send(image, 0).get().success()).isTrue();
            }
        }

        assertThat(distinct(clientPorts)).hasSizeLessThan(REQUESTS);
    }

    @Test
    void newConnectionPerRequestOpensOneConnectionForEachRequest() throws Exception {
        try (HttpRequestSender sender = sender(true, HttpRequestSender.BodyKind.MULTIPART)) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(sender.send(image, 0).get().success()).isTrue();
            }
        }

        assertThat(distinct(clientPorts)).hasSize(REQUESTS);
    }

    @Test
    void errorStatusKeepsTheStartOfTheErrorBody() throws Exception {
        answerStatus = 400;
        answer = "{\"code\":400,\"message\":\"could not decode the image\"}".getBytes(StandardCharsets.UTF_8);

        Outcome outcome;
        try (HttpRequestSender sender = sender(false, HttpRequestSender.BodyKind.MULTIPART)) {
            outcome = sender.send(image, 0).get();
        }

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.status()).isEqualTo("400");
        assertThat(outcome.detail()).isEqualTo("{\"code\":400,\"message\":\"could not decode the image\"}");
    }

    @Test
    void refusedConnectionIsAnOutcomeNotAnException() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        BenchTarget closed = BenchTarget.parse("http://127.0.0.1:" + port);

        Outcome outcome;
        try (HttpRequestSender sender = new HttpRequestSender(closed, List.of(image), false,
                HttpRequestSender.BodyKind.MULTIPART, Duration.ofSeconds(10), callbacks)) {
            outcome = sender.send(image, 0).get();
        }

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.status()).isEqualTo("connection refused");
        assertThat(outcome.sentBytes()).isZero();
    }

    private static Set<Integer> distinct(ConcurrentLinkedQueue<Integer> ports) {
        return new HashSet<>(ports);
    }
}
