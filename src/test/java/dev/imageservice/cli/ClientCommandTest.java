package dev.imageservice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.CliRun;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@code client} command, run through Dropwizard's CLI exactly as {@code java -jar ... client} runs it. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClientCommandTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    @Test
    void writesTheSwappedPngAndPrintsASummary() throws Exception {
        Pixels photo = TestImages.photoLike(320, 240, 3, 8, 11);
        Path input = dir.resolve("photo.png");
        Files.write(input, TestImages.encode(photo, ".png"));
        Path output = dir.resolve("out.png");

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                input.toString(), output.toString());

        assertThat(failure).isEmpty();
        assertThat(TestImages.decode(Files.readAllBytes(output))).isEqualTo(photo.swapped());
        assertThat(cli.stdout()).contains("photo.png").contains("out.png").contains(" ms");
    }

    @Test
    void switchesToStreamingWhenThePngWouldExceedTheUnaryLimit() throws Exception {
        Pixels photo = TestImages.photoLike(1024, 768, 3, 8, 13); // ~3 MB of raw pixels
        Path input = dir.resolve("big.png");
        Files.write(input, TestImages.encode(photo, ".png"));
        Path output = dir.resolve("big-out.png");

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                "--max-message-size", "1", input.toString(), output.toString());

        assertThat(failure).isEmpty();
        assertThat(cli.stdout()).contains("(streaming)");
        assertThat(TestImages.decode(Files.readAllBytes(output))).isEqualTo(photo.swapped());
    }

    @Test
    void streamsOnRequest() throws Exception {
        Pixels photo = TestImages.photoLike(64, 48, 4, 8, 14);
        Path input = dir.resolve("small.png");
        Files.write(input, TestImages.encode(photo, ".png"));
        Path output = dir.resolve("small-out.png");

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                "--stream", input.toString(), output.toString());

        assertThat(failure).isEmpty();
        assertThat(cli.stdout()).contains("(streaming)");
        assertThat(TestImages.decode(Files.readAllBytes(output))).isEqualTo(photo.swapped());
    }

    @Test
    void failsCleanlyWhenNoServerListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path input = dir.resolve("photo.png");
        Files.write(input, TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 12), ".png"));

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + closedPort,
                input.toString(), dir.resolve("out.png").toString());

        assertThat(failure).isPresent();
        assertThat(cli.stderr())
                .startsWith("error: cannot reach the image service at localhost:" + closedPort)
                .doesNotContain("\tat ");
        assertThat(dir.resolve("out.png")).doesNotExist();
    }

    @Test
    void failsCleanlyWhenTheInputIsMissing() throws Exception {
        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                dir.resolve("nope.jpg").toString(), dir.resolve("out.png").toString());

        assertThat(failure).isPresent();
        assertThat(cli.stderr()).contains("error: cannot read").contains("no such file");
    }

    @Test
    void reportsTheServersRefusal() throws Exception {
        Path input = dir.resolve("notes.txt");
        Files.writeString(input, "not an image");

        Optional<Throwable> failure = cli.run("client", "--target", "localhost:" + AppUnderTest.grpcPort(APP),
                input.toString(), dir.resolve("out.png").toString());

        assertThat(failure).isPresent();
        assertThat(cli.stderr())
                .contains("error: the server refused the image: INVALID_ARGUMENT: could not decode the image");
    }
}
