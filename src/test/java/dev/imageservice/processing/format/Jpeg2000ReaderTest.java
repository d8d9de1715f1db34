package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.LyingHeaders;
import dev.imageservice.testing.TestImages;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** JPEG 2000: a codestream's SIZ segment and a JP2 file's image header box; lies and damage. */
class Jpeg2000ReaderTest {

    @Test
    void readsARealJp2File() {
        ImageHeader header = FormatProbe.probe(TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 1), ".jp2"));

        assertThat(header).extracting(ImageHeader::format, ImageHeader::width, ImageHeader::height)
                .containsExactly(ImageFormat.JPEG2000, 64, 48);
        assertThat(header.traits()).isEqualTo(new Jpeg2000Traits(false, 3, 8));
    }

    @Test
    void lyingHeadersOfBothLayoutsAreReadAsTheyLie() {
        ImageHeader codestream = FormatProbe.probe(EdgeCases.jpeg2000Bomb());
        ImageHeader jp2 = FormatProbe.probe(LyingHeaders.jp2());

        assertThat(codestream).extracting(ImageHeader::width, ImageHeader::height).containsExactly(30_000, 30_000);
        assertThat(codestream.traits()).isEqualTo(new Jpeg2000Traits(true, 3, 1));
        assertThat(jp2).extracting(ImageHeader::width, ImageHeader::height).containsExactly(60_000, 60_000);
        assertThat(jp2.traits()).isEqualTo(new Jpeg2000Traits(false, 3, 8));
    }

    @Test
    void anImageOffsetBeyondTheImageAndAMissingHeaderBoxAreCorrupt() {
        byte[] offset = EdgeCases.jpeg2000Bomb();
        ByteBuffer.wrap(offset).putInt(16, 40_000); // XOsiz > Xsiz
        byte[] noHeader = Arrays.copyOf(LyingHeaders.jp2(), 12 + 20);

        refused(offset, FormatException.Reason.CORRUPT, "the JPEG 2000 header says -10000x30000");
        refused(noHeader, FormatException.Reason.CORRUPT,
                "could not decode the image: corrupt JPEG 2000 data (no valid image header)");
    }
}
