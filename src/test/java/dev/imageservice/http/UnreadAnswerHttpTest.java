package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A client that never reads its answer is cut by the idle timeout: one INFO line and Dropwizard's
 * end-of-file count, not an ERROR with stack traces, and the service goes on answering.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnreadAnswerHttpTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "1s"));

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger answers = (Logger) LoggerFactory.getLogger(AnswerPieces.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        answers.setLevel(Level.INFO);
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logs);
        answers.setLevel(null);
    }

    @Test
    void anAnswerNobodyReadsIsCutQuietly() throws Exception {
        // Noise compresses badly: a PNG answer of several MiB, more than the socket buffers hold.
        byte[] image = TestImages.encode(TestImages.photoLike(3000, 2000, 3, 8, 11), ".bmp");
        long eofBefore = eofCount();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("localhost", APP.getLocalPort()));
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/bmp\r\n"
                    + "Content-Length: " + image.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(image);
            out.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (cutLines().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        assertThat(cutLines()).hasSize(1);
        assertThat(cutLines().get(0).getFormattedMessage()).startsWith("Answer cut: the client did not read it");
        assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
        assertThat(eofCount()).isEqualTo(eofBefore + 1);

        HttpResponse<String> next = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/limits")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(next.statusCode()).isEqualTo(200);
    }

    private List<ILoggingEvent> cutLines() {
        return logs.list.stream().filter(e -> e.getLoggerName().equals(AnswerPieces.class.getName())).toList();
    }

    private static long eofCount() {
        return APP.getEnvironment().metrics().counter(
                "io.dropwizard.jersey.errors.EofExceptionWriterInterceptor.eof-exceptions").getCount();
    }
}
