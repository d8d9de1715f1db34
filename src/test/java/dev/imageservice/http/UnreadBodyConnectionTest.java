package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.RawHttp;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A refusal decided before the body is read must tell the client that the connection ends with it
 * ({@code Connection: close}); a request whose body was read keeps its connection. Spoken on a raw
 * socket, with the body held back until the answer has come, as a slow or pipelining client would.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnreadBodyConnectionTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private final byte[] png = TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 5), ".png");

    @Test
    void refusalBeforeTheBodySaysConnectionClose() throws Exception {
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("/api/v1/process?op=blur", png.length).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = RawHttp.readHead(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer.toLowerCase(Locale.ROOT)).contains("\r\nconnection: close\r\n");
        }
    }

    @Test
    void answerToAReadBodyKeepsTheConnection() throws Exception {
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 2; i++) {
                out.write(head("/api/v1/process", png.length).getBytes(StandardCharsets.US_ASCII));
                out.write(png);
                out.flush();
                String answer = RawHttp.readHead(in);
                assertThat(answer).startsWith("HTTP/1.1 200");
                assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");
                int length = RawHttp.contentLength(answer);
                assertThat(length).as("Content-Length of %s", answer).isPositive();
                in.readNBytes(length);
            }
        }
    }

    private static String head(String path, int length) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: "
                + length + "\r\n\r\n";
    }
}
