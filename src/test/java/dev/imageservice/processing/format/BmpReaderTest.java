package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.LyingHeaders;
import dev.imageservice.testing.TestImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** BMP's info headers (Windows and OS/2), top-down rows; lies and damage. */
class BmpReaderTest {

    @Test
    void readsARealBmp() {
        ImageHeader header = FormatProbe.probe(TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 1), ".bmp"));

        assertThat(header).extracting(ImageHeader::format, ImageHeader::width, ImageHeader::height)
                .containsExactly(ImageFormat.BMP, 40, 30);
        assertThat(header.traits()).isEqualTo(new BmpTraits(40, 24, 0, false));
    }

    @Test
    void lyingHeadersAreReadAsTheyLieWhicheverWayTheRowsRun() {
        ImageHeader bottomUp = FormatProbe.probe(LyingHeaders.bmp(60_000));
        ImageHeader topDown = FormatProbe.probe(LyingHeaders.bmp(-60_000));
        ImageHeader os2 = FormatProbe.probe(LyingHeaders.bmpOs2());

        assertThat(bottomUp).extracting(ImageHeader::width, ImageHeader::height).containsExactly(60_000, 60_000);
        assertThat(((BmpTraits) bottomUp.traits()).topDown()).isFalse();
        assertThat(topDown).extracting(ImageHeader::width, ImageHeader::height).containsExactly(60_000, 60_000);
        assertThat(((BmpTraits) topDown.traits()).topDown()).isTrue();
        assertThat(os2.pixels()).isEqualTo(65535L * 65535L);
        assertThat(os2.traits()).isEqualTo(new BmpTraits(12, 24, 0, false));
    }

    @Test
    void impossibleSizesAndShortHeadersAreCorrupt() {
        refused(LyingHeaders.bmp(Integer.MIN_VALUE), FormatException.Reason.CORRUPT, "the BMP header says 60000x-2147483648");
        refused(LyingHeaders.bmp(0), FormatException.Reason.CORRUPT, "the BMP header says 60000x0");
        refused(Arrays.copyOf(LyingHeaders.bmp(10), 20), FormatException.Reason.CORRUPT,
                "could not decode the image: corrupt BMP data (no valid image header)");
    }
}
