package dev.imageservice.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.ChildJvmService;
import dev.imageservice.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What C libraries print to standard error ends up in the log, in a child JVM each (the test JVM's
 * own descriptor 2 is left alone): through the real service with OpenCV decoding a corrupt PNG and
 * a JPEG whose data is cut, and the mechanism alone with Java's System.err beside it.
 */
class NativeStderrTest {
    private static final Pattern READY = Pattern.compile("ready: HTTP port (\\d+), admin port (\\d+), gRPC port (\\d+)");

    @TempDir
    Path dir;

    @Test
    void libpngAndLibjpegMessagesAreLoggedNotPrinted() throws Exception {
        Path out = dir.resolve("out.log");
        Path err = dir.resolve("err.log");
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ImageServiceApplication.class.getName(), "server", AppUnderTest.shippedConfig())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(java.util.Map.of("HTTP_PORT", "0", "ADMIN_PORT", "0", "GRPC_PORT", "0",
                "CODECS", "opencv", "LOG_LEVEL", "INFO"));
        Process service = builder.start();
        try {
            Matcher[] ready = new Matcher[1];
            ChildJvmService.awaitTrue(() -> {
                assertThat(service.isAlive()).as("the service died: %s", read(out)).isTrue();
                Matcher m = READY.matcher(read(out));
                return m.find() && (ready[0] = m) != null;
            }, "the ready line", 60);
            int httpPort = Integer.parseInt(ready[0].group(1));

            assertThat(post(httpPort, corruptPng(), "corrupt-png-1")).isEqualTo(400);
            // decoded with grey where data is missing: 200 or 400, either is fine here
            post(httpPort, jpegWithDataCut(), "cut-jpeg-2");

            ChildJvmService.awaitTrue(() -> read(out).contains("Corrupt JPEG data"), "libjpeg's warning in the log", 20);
            String log = read(out);
            // One request at a time, each sent after the answer to the one before: the PNG's line can
            // only be the PNG's; the JPEG's names the JPEG (and the PNG too if it ended within 50 ms).
            // The one candidate's id is also in the line's MDC, where the text layout prints it.
            assertThat(log).containsPattern("WARN .*\\[native-stderr\\] \\[corrupt-png-1\\] native: libpng error: IDAT: .*"
                    + "\\(printed by a native library during request corrupt-png-1\\)");
            assertThat(log).containsPattern("WARN .*\\[native-stderr\\] (\\[cut-jpeg-2\\] )?native: Corrupt JPEG data.*"
                    + "\\(printed by a native library during (request|one of 2 requests: corrupt-png-1,) cut-jpeg-2\\)");
        } finally {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(read(err)).doesNotContain("libpng").doesNotContain("Corrupt JPEG");
    }

    @Test
    void javaSystemErrStillReachesTheOriginalStandardError() throws Exception {
        Path out = dir.resolve("out.log");
        Path err = dir.resolve("err.log");
        Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(read(out) + read(err)).isZero();
        assertThat(read(err)).isEqualTo("from Java's System.err\n");
        // Logback's default layout here (no Dropwizard config): "... [native-stderr] WARN native -- text".
        assertThat(read(out)).contains("WARN native -- line 1 from C (printed by a native library; request not known)")
                .contains("WARN native -- line " + NativeStderr.LINES_PER_SECOND + " from C")
                .doesNotContain("line " + (NativeStderr.LINES_PER_SECOND + 1) + " from C")
                .contains("WARN native -- 10 more lines from native libraries were not logged")
                .contains("WARN native -- the last line from C");
    }

    /** Routes, prints from Java and from C (30 lines in a burst, then one more after a second), exits. */
    public static final class Child {
        interface LibC extends Library {
            long write(int fd, byte[] bytes, long count);
        }

        public static void main(String[] args) throws Exception {
            if (!NativeStderr.routeIntoLog()) {
                System.exit(2);
            }
            LibC libc = Native.load("c", LibC.class);
            System.err.println("from Java's System.err");
            for (int i = 1; i <= NativeStderr.LINES_PER_SECOND + 10; i++) {
                byte[] line = ("line " + i + " from C\n").getBytes(StandardCharsets.US_ASCII);
                libc.write(2, line, line.length);
            }
            Thread.sleep(1100);
            byte[] last = "the last line from C\n".getBytes(StandardCharsets.US_ASCII);
            libc.write(2, last, last.length);
            Thread.sleep(500);
            System.exit(0);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int post(int port, byte[] image, String requestId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/process")).header("Content-Type", "application/octet-stream")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    /** A 16x16 PNG whose IDAT holds a zlib header and then an invalid deflate block type. */
    private static byte[] corruptPng() {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(png, "IHDR", new byte[] {0, 0, 0, 16, 0, 0, 0, 16, 8, 2, 0, 0, 0});
        byte[] idat = new byte[42];
        Arrays.fill(idat, (byte) 0xFF);
        idat[0] = 0x78;
        idat[1] = (byte) 0x9C;
        chunk(png, "IDAT", idat);
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** A photo-like JPEG with the second half of its entropy-coded data left out, EOI kept. */
    private static byte[] jpegWithDataCut() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(320, 240, 3, 8, 7), ".jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        return cut;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        List<byte[]> parts = new ArrayList<>(List.of(
                java.nio.ByteBuffer.allocate(4).putInt(data.length).array(), typeBytes, data,
                java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array()));
        parts.forEach(out::writeBytes);
    }
}
