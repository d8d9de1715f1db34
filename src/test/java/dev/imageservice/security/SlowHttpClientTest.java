package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bodies that stop or trickle end as 408 with a JSON message, never a 500, within the configured times. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SlowHttpClientTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "2s"));

    static final String HEAD = "POST /api/v1/process HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
            + "Content-Length: 100000\r\n\r\n";

    @Test
    void aBodyShorterThanItsContentLengthIs408() throws Exception {
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write((HEAD + "\u0089PNG and then nothing").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = readAll(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 408").contains("application/json")
                    .contains("\"code\":408").doesNotContain("Exception");
        }
    }

    @Test
    void aBodyTricklingBelowTheMinimumRateIs408() throws Exception {
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write(HEAD.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + 30_000_000_000L;
            // One byte a second, each before the idle timeout: only the data rate can end it.
            while (System.nanoTime() < deadline) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                if (readSome(socket.getInputStream(), received)) {
                    break;
                }
            }
            assertThat(received.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408").contains("\"code\":408");
        }
    }

    private static boolean readSome(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                return true;
            }
            into.write(buffer, 0, n);
            return into.toString(StandardCharsets.ISO_8859_1).contains("}");
        } catch (SocketTimeoutException nothingYet) {
            return false;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
                if (all.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                    break;
                }
            }
        } catch (IOException closed) {
            // read what came
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }
}
