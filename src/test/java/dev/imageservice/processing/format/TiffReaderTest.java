package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.LyingHeaders;
import dev.imageservice.testing.TestImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TIFF's first image directory in either byte order; lies, sample types and damage. */
class TiffReaderTest {

    @Test
    void readsRealTiffs() {
        ImageHeader eight = FormatProbe.probe(TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 1), ".tiff"));
        ImageHeader sixteen = FormatProbe.probe(TestImages.encode(TestImages.photoLike(41, 31, 1, 16, 2), ".tiff"));
        // OpenCV writes floating-point samples as SGI LogLuv (compression 34676), 16-bit signed.
        TiffTraits floats = (TiffTraits) FormatProbe.probe(EdgeCases.floatTiff()).traits();

        assertThat(eight).extracting(ImageHeader::format, ImageHeader::width, ImageHeader::height)
                .containsExactly(ImageFormat.TIFF, 40, 30);
        TiffTraits traits = (TiffTraits) eight.traits();
        assertThat(traits.samplesPerPixel()).isEqualTo(3);
        assertThat(traits.bitsPerSample()).isEqualTo(8);
        assertThat(traits.floatingPoint()).isFalse();
        assertThat(sixteen).extracting(ImageHeader::width, ImageHeader::height).containsExactly(41, 31);
        assertThat(((TiffTraits) sixteen.traits()).bitsPerSample()).isEqualTo(16);
        assertThat(floats).isEqualTo(new TiffTraits(true, 34676, 3, 16, 2));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"little-endian", "big-endian"})
    void aDirectoryThatLiesIsReadAsItLiesInEitherByteOrder(String order) {
        ByteOrder byteOrder = order.equals("little-endian") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;

        ImageHeader header = FormatProbe.probe(LyingHeaders.tiff(byteOrder));

        assertThat(header).extracting(ImageHeader::width, ImageHeader::height).containsExactly(60_000, 60_000);
        assertThat(header.traits()).isEqualTo(new TiffTraits(byteOrder == ByteOrder.LITTLE_ENDIAN, 1, 1, 8, 1));
    }

    @Test
    void aDirectoryAfterMegabytesOfPixelsIsFound() {
        byte[] small = LyingHeaders.tiff(ByteOrder.BIG_ENDIAN);
        int padding = 1 << 20;
        byte[] far = new byte[small.length + padding];
        System.arraycopy(small, 0, far, 0, 8);
        System.arraycopy(small, 8, far, 8 + padding, small.length - 8);
        ByteBuffer.wrap(far).order(ByteOrder.BIG_ENDIAN).putInt(4, 8 + padding + 16);

        assertThat(FormatProbe.probe(far).width()).isEqualTo(60_000);
    }

    @Test
    void aDirectoryOutsideTheFileOrWithoutASizeIsCorrupt() {
        byte[] tiff = LyingHeaders.tiff(ByteOrder.LITTLE_ENDIAN);
        byte[] noWidth = tiff.clone();
        ByteBuffer.wrap(noWidth).order(ByteOrder.LITTLE_ENDIAN).putShort(8 + 16 + 2, (short) 999);

        refused(Arrays.copyOf(tiff, 30), FormatException.Reason.CORRUPT,
                "could not decode the image: corrupt TIFF data (no valid image header)");
        refused(noWidth, FormatException.Reason.CORRUPT, "no valid image header");
        // StripByteCounts claiming 262145 values beyond the end (a fuzzed file libtiff spent 7 s on).
        byte[] countsOutside = tiff.clone();
        ByteBuffer.wrap(countsOutside).order(ByteOrder.LITTLE_ENDIAN).putInt(8 + 16 + 2 + 7 * 12 + 4, 262_145);
        refused(countsOutside, FormatException.Reason.CORRUPT, "no valid image header");
    }
}
