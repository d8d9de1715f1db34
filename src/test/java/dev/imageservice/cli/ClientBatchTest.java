package dev.imageservice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.CliRun;
import dev.imageservice.testing.Reference;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The client command with options, and on a directory of images, against the real service. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClientBatchTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private String target() {
        return "localhost:" + AppUnderTest.grpcPort(APP);
    }

    @Test
    void oneImageWithOperationsAndAFormat() throws Exception {
        Pixels photo = TestImages.photoLike(64, 40, 3, 8, 81);
        Path input = dir.resolve("photo.png");
        Files.write(input, TestImages.encode(photo, ".png"));
        Path output = dir.resolve("out.png");

        Optional<Throwable> failure = cli.run("client", "--target", target(), "--op", "rotate:90", "--op", "flip:h",
                input.toString(), output.toString());

        assertThat(failure).isEmpty();
        assertThat(TestImages.decode(Files.readAllBytes(output))).isEqualTo(Reference.flip(Reference.rotate(photo, 90), true, false));
    }

    @Test
    void aDirectoryIsProcessedImageByImageWithASummary() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.write(dir.resolve("photo" + i + ".png"), TestImages.encode(TestImages.photoLike(60 + i, 40, 3, 8, i), ".png"));
        }
        Files.writeString(dir.resolve("broken.jpg"), "not really a JPEG");
        Files.writeString(dir.resolve("notes.txt"), "not an image, not even by name");

        Optional<Throwable> failure = cli.run("client", "--target", target(), "--op", "resize:30:0", "--format", "jpeg",
                "--quality", "70", "--concurrency", "3", dir.toString());

        assertThat(failure).isPresent(); // one image failed: the exit status says so
        for (int i = 0; i < 5; i++) {
            Pixels result = TestImages.decode(Files.readAllBytes(dir.resolve("photo" + i + "-processed.jpg")));
            assertThat(result.width()).isEqualTo(30);
        }
        assertThat(dir.resolve("broken-processed.jpg")).doesNotExist();
        assertThat(dir.resolve("notes-processed.jpg")).doesNotExist();
        String printed = cli.stdout();
        assertThat(printed).contains("failed: " + dir.resolve("broken.jpg") + ": the server refused the image: INVALID_ARGUMENT");
        assertThat(printed).containsPattern("6 images via localhost:\\d+: 5 done, 1 failed; [0-9.]+ MB in, [0-9.]+ MB out; [0-9.]+ s");
        assertThat(cli.stderr()).contains("error: 1 of 6 images failed");
    }

    @Test
    void severalFilesIntoAnOutputDirectory() throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        Pixels pa = TestImages.photoLike(20, 10, 3, 8, 91);
        Files.write(a, TestImages.encode(pa, ".png"));
        Files.write(b, TestImages.encode(TestImages.photoLike(10, 20, 3, 8, 92), ".png"));
        Path out = Files.createDirectory(dir.resolve("out"));

        Optional<Throwable> failure = cli.run("client", "--target", target(), "--out-dir", out.toString(), a.toString(), b.toString());

        assertThat(failure).isEmpty();
        assertThat(TestImages.decode(Files.readAllBytes(out.resolve("a-processed.png")))).isEqualTo(pa.swapped());
        assertThat(out.resolve("b-processed.png")).exists();
        assertThat(cli.stdout()).contains("2 images via").contains("2 done, 0 failed");
    }

    @Test
    void aBadOptionIsRefusedBeforeAnythingIsSent() throws Exception {
        Optional<Throwable> failure = cli.run("client", "--target", target(), "--op", "rotate:45", dir.toString());

        assertThat(failure).isPresent();
        assertThat(cli.stderr()).contains("error: --op rotate:45: degrees must be 90, 180 or 270");
    }
}
