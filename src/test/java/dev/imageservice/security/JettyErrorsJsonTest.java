package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests Jetty refuses while parsing them, before any servlet runs, are answered with the API's
 * JSON error on both ports, like every other error (they had an empty body).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JettyErrorsJsonTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "garbage request line, 400",
        "header without a colon, 400",
        "no Host header, 400",
        "Content-Length not a number, 400",
        "header too large, 431",
        "URI too long, 414",
        "unknown HTTP version, 505",
    })
    void malformedRequestsGetJsonErrorsOnBothPorts(String kind, int status) throws IOException {
        for (int port : new int[] {APP.getLocalPort(), APP.getAdminPort()}) {
            String answer = send(port, request(kind));
            String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);

            assertThat(head).as(kind + " on " + port).startsWith("HTTP/1.1 " + status + " ");
            assertThat(head.toLowerCase()).contains("content-type: application/json")
                    .contains("x-content-type-options: nosniff").doesNotContain("server:");
            JsonNode error = JSON.readTree(body);
            assertThat(error.path("code").asInt()).isEqualTo(status);
            assertThat(error.path("message").asText()).isNotBlank().doesNotContain("jetty", "Exception");
        }
    }

    private static String request(String kind) {
        return switch (kind) {
            case "garbage request line" -> "GARBAGE\r\n\r\n";
            case "header without a colon" -> "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n";
            case "no Host header" -> "GET / HTTP/1.1\r\n\r\n";
            case "Content-Length not a number" -> "POST /api/v1/process HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n";
            case "header too large" -> "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n";
            case "URI too long" -> "GET /" + "a".repeat(40_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case "unknown HTTP version" -> "GET / HTTP/9.9\r\nHost: x\r\n\r\n";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Sends raw bytes and reads the one answer (the server closes or goes quiet after it). */
    private static String send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (IOException closedWhileWriting) {
                // a too-large request may be answered and closed before all of it is written
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                    String text = answer.toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    if (end > 0 && text.toLowerCase().contains("content-length:")
                            && text.length() - end - 4 >= contentLength(text)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException done) {
                // the answer is what arrived
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return Integer.MAX_VALUE;
    }
}
