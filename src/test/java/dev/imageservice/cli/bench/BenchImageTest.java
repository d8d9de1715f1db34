package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.TestImages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opencv.imgcodecs.Imgcodecs;

/** The bench knows an image's size from the service's own header probe, for every format it reads. */
class BenchImageTest {

    @Test
    void sizeAndMediaTypeComeFromTheHeader() {
        BenchImage webp = BenchImage.of("a.webp", TestImages.encode(TestImages.photoLike(41, 31, 3, 8, 1), ".webp",
                Imgcodecs.IMWRITE_WEBP_QUALITY, 90));
        BenchImage pgm = BenchImage.of("a.pgm", TestImages.encode(TestImages.photoLike(17, 9, 1, 8, 2), ".pgm"));

        assertThat(webp).extracting(BenchImage::mediaType, BenchImage::width, BenchImage::height)
                .containsExactly("image/webp", 41, 31);
        assertThat(pgm).extracting(BenchImage::mediaType, BenchImage::width, BenchImage::height)
                .containsExactly("image/x-portable-anymap", 17, 9);
    }

    @Test
    void aFileTheProbeRefusesHasNoSize() {
        BenchImage text = BenchImage.of("a.txt", "not an image".getBytes(StandardCharsets.US_ASCII));

        assertThat(text.sizeKnown()).isFalse();
        assertThat(text.mediaType()).isEqualTo("application/octet-stream");
    }
}
