package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.LyingHeaders;
import dev.imageservice.testing.TestImages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Netpbm headers: PBM, PGM, PPM (plain and raw) and PAM; comments, lies and damage. */
class PnmReaderTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsRealFilesOfEveryKind() {
        ImageHeader pgm = FormatProbe.probe(TestImages.encode(TestImages.photoLike(40, 30, 1, 8, 1), ".pgm"));
        ImageHeader ppm16 = FormatProbe.probe(TestImages.encode(TestImages.photoLike(41, 31, 3, 16, 2), ".ppm"));
        ImageHeader pam = FormatProbe.probe(TestImages.encode(TestImages.photoLike(42, 32, 4, 8, 3), ".pam"));

        assertThat(pgm).extracting(ImageHeader::format, ImageHeader::width, ImageHeader::height)
                .containsExactly(ImageFormat.PNM, 40, 30);
        assertThat(pgm.traits()).isEqualTo(new PnmTraits(5, 255, 1));
        assertThat(ppm16).extracting(ImageHeader::width, ImageHeader::height).containsExactly(41, 31);
        assertThat(ppm16.traits()).isEqualTo(new PnmTraits(6, 65535, 3));
        assertThat(pam).extracting(ImageHeader::width, ImageHeader::height).containsExactly(42, 32);
        assertThat(pam.traits()).isEqualTo(new PnmTraits(7, 255, 4));
    }

    @Test
    void readsPlainFilesWithComments() {
        ImageHeader plain = FormatProbe.probe(ascii("P3\n# a comment\n# another\n 2 1 # trailing\n255\n0 0 0 255 255 255\n"));
        ImageHeader bitmap = FormatProbe.probe(ascii("P1\n3 2\n0 1 0\n1 0 1\n"));

        assertThat(plain).extracting(ImageHeader::width, ImageHeader::height).containsExactly(2, 1);
        assertThat(plain.traits()).isEqualTo(new PnmTraits(3, 255, 3));
        assertThat(bitmap).extracting(ImageHeader::width, ImageHeader::height).containsExactly(3, 2);
        assertThat(bitmap.traits()).isEqualTo(new PnmTraits(1, 1, 1));
    }

    @Test
    void lyingHeadersAreReadAsTheyLie() {
        assertThat(FormatProbe.probe(LyingHeaders.ppm()).pixels()).isEqualTo(3_600_000_000L);
        assertThat(FormatProbe.probe(LyingHeaders.pam()).pixels()).isEqualTo(3_600_000_000L);
        assertThat(FormatProbe.probe(LyingHeaders.pam()).traits()).isEqualTo(new PnmTraits(7, 255, 3));
        // A header that ends before its largest value still gives its size, which is what matters.
        assertThat(FormatProbe.probe(ascii("P5 30000 30000")).pixels()).isEqualTo(900_000_000L);
    }

    @Test
    void numbersTooLongForAnIntAreTheLargestInt() {
        ImageHeader header = FormatProbe.probe(ascii("P5\n99999999999999999999 2\n255\n"));

        assertThat(header.width()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void headersWithoutASizeAreCorrupt() {
        refused(ascii("P6\n# nothing else\n"), FormatException.Reason.CORRUPT,
                "could not decode the image: corrupt PNM data (no valid image header)");
        refused(ascii("P6 640 x\n"), FormatException.Reason.CORRUPT, "no valid image header");
        refused(ascii("P7\nWIDTH 10\nDEPTH 3\nENDHDR\n"), FormatException.Reason.CORRUPT, "no valid image header");
        refused(ascii("P7\nWIDTH 10\nHEIGHT 10\n"), FormatException.Reason.CORRUPT, "no valid image header");
        refused(ascii("P5 0 10 255\n"), FormatException.Reason.CORRUPT, "the PNM header says 0x10");
    }
}
