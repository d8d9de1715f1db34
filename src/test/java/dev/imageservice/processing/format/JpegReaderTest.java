package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.JpegSegments;
import dev.imageservice.testing.LyingHeaders;
import dev.imageservice.testing.TestImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.imgcodecs.Imgcodecs;

/** The one JPEG marker walk: frame header, traits, lies and damage. */
class JpegReaderTest {
    private static final byte[] PHOTO = TestImages.encode(TestImages.photoLike(333, 211, 3, 8, 1), ".jpg");

    private static JpegTraits traits(ImageHeader header) {
        return (JpegTraits) header.traits();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"420, 4:2:0", "422, 4:2:2", "444, 4:4:4", "411, 4:1:1", "440, 4:4:0"})
    void readsSizeAndSubsampling(int factor, String expected) {
        int option = switch (factor) {
            case 420 -> Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420;
            case 422 -> Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422;
            case 444 -> Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444;
            case 411 -> Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_411;
            default -> Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_440;
        };
        byte[] jpeg = TestImages.encode(TestImages.photoLike(333, 211, 3, 8, 2), ".jpg",
                Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, option);

        ImageHeader header = FormatProbe.probe(jpeg);

        assertThat(header.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(header.width()).isEqualTo(333);
        assertThat(header.height()).isEqualTo(211);
        assertThat(header.complete()).isTrue();
        JpegTraits traits = traits(header);
        assertThat(traits.subsampling()).isEqualTo(expected);
        assertThat(traits.sequentialHuffman()).isTrue();
        assertThat(traits.progressive()).isFalse();
        assertThat(traits.precision()).isEqualTo(8);
        assertThat(traits.components()).extracting(JpegTraits.Component::id).containsExactly(1, 2, 3);
        assertThat(traits.jfif()).isTrue();
        assertThat(traits.adobeTransform()).isEqualTo(-1);
        assertThat(traits.iccProfile()).isFalse();
        assertThat(traits.restartInterval()).isZero();
        assertThat(traits.scanFound()).isTrue();
        assertThat(traits.wellFormed()).isTrue();
    }

    @Test
    void readsProgressiveGrayAndRestartMarkers() {
        byte[] progressive = TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 3), ".jpg", Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
        byte[] gray = TestImages.encode(TestImages.photoLike(40, 30, 1, 8, 4), ".jpg");
        byte[] restarts = TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 5), ".jpg", Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 3);

        assertThat(traits(FormatProbe.probe(progressive)).progressive()).isTrue();
        assertThat(traits(FormatProbe.probe(progressive)).frameMarker()).isEqualTo(0xC2);
        assertThat(traits(FormatProbe.probe(gray)).components()).hasSize(1);
        assertThat(traits(FormatProbe.probe(gray)).subsampling()).isEqualTo("gray");
        assertThat(traits(FormatProbe.probe(restarts)).restartInterval()).isEqualTo(3);
    }

    @Test
    void readsAdobeAndIccMarkers() {
        JpegTraits cmyk = traits(FormatProbe.probe(EdgeCases.cmykJpeg()));
        byte[] icc = JpegSegments.afterSoi(PHOTO, 0xE2, ascii("ICC_PROFILE\0\1\1" + "profile bytes"));
        // APP14 "Adobe", version 100, two flag words, transform 2 (YCCK).
        byte[] adobe = JpegSegments.afterSoi(PHOTO, 0xEE, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 2});
        byte[] shortAdobe = JpegSegments.afterSoi(PHOTO, 0xEE, ascii("Adobe")); // too short: libjpeg ignores it

        assertThat(cmyk.components()).extracting(JpegTraits.Component::id).containsExactly(1, 2, 3, 4);
        assertThat(cmyk.adobeTransform()).isEqualTo(-1); // the JDK writer adds no marker for a bare raster
        assertThat(cmyk.subsampling()).isEqualTo("other");
        assertThat(traits(FormatProbe.probe(icc)).iccProfile()).isTrue();
        assertThat(traits(FormatProbe.probe(adobe)).adobeTransform()).isEqualTo(2);
        assertThat(traits(FormatProbe.probe(shortAdobe)).adobeTransform()).isEqualTo(-1);
    }

    @Test
    void aFrameHeaderThatLiesIsReadAsItLies() {
        ImageHeader header = FormatProbe.probe(LyingHeaders.jpeg());

        assertThat(header.width()).isEqualTo(60_000);
        assertThat(header.height()).isEqualTo(60_000);
        assertThat(header.pixels()).isEqualTo(3_600_000_000L);
        assertThat(header.complete()).isTrue();
    }

    @Test
    void aFrameHeaderAfterLargeMetadataIsFoundInTheWholeFile() {
        byte[] exif = new byte[65_000];
        System.arraycopy(ascii("Exif\0\0"), 0, exif, 0, 6);
        byte[] jpeg = PHOTO;
        for (int i = 0; i < 5; i++) { // 325 KB of APP1 segments: past the probe's head
            jpeg = JpegSegments.afterSoi(jpeg, 0xE1, exif);
        }

        ImageHeader header = FormatProbe.probe(jpeg);

        assertThat(header.width()).isEqualTo(333);
        assertThat(traits(header).scanFound()).isTrue();
    }

    @Test
    void aFileWithoutFrameHeaderIsCorrupt() {
        refused(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}, FormatException.Reason.CORRUPT,
                "could not decode the image: corrupt JPEG data (no valid image header)");
        refused(Arrays.copyOf(PHOTO, 30), FormatException.Reason.CORRUPT, "no valid image header");
    }

    @Test
    void twoFrameHeadersAreCorrupt() {
        int sof = indexOf(PHOTO, 0xC0);
        int length = (PHOTO[sof + 2] & 0xFF) << 8 | (PHOTO[sof + 3] & 0xFF);
        byte[] twice = JpegSegments.afterSoi(PHOTO, 0xC0, Arrays.copyOfRange(PHOTO, sof + 4, sof + 2 + length));

        refused(twice, FormatException.Reason.CORRUPT, "two frame headers");
    }

    @Test
    void strayBytesAfterTheFrameHeaderLeaveTheSizeButNotWellFormed() {
        int dht = indexOf(PHOTO, 0xC4);
        byte[] stray = new byte[PHOTO.length + 3];
        System.arraycopy(PHOTO, 0, stray, 0, dht);
        System.arraycopy(PHOTO, dht, stray, dht + 3, PHOTO.length - dht); // three zero bytes before DHT

        ImageHeader header = FormatProbe.probe(stray);

        assertThat(header.width()).isEqualTo(333);
        assertThat(traits(header).wellFormed()).isFalse();
    }

    @Test
    void aJpegCutShortIsIncomplete() {
        byte[] cut = Arrays.copyOf(PHOTO, PHOTO.length * 6 / 10);

        ImageHeader header = FormatProbe.probe(cut);

        assertThat(header.width()).isEqualTo(333);
        assertThat(header.complete()).isFalse();
        refusedWhenRequired(header);
    }

    @Test
    void zeroPaddingAndTrailersAfterTheEndMarkerAreWhole() {
        byte[] padded = Arrays.copyOf(PHOTO, PHOTO.length + 1000);
        byte[] trailer = LyingHeaders.concat(PHOTO, ascii("camera trailer"));

        assertThat(FormatProbe.probe(padded).complete()).isTrue();
        assertThat(FormatProbe.probe(trailer).complete()).isTrue();
    }

    private static void refusedWhenRequired(ImageHeader header) {
        org.assertj.core.api.Assertions.assertThatThrownBy(header::requireComplete)
                .isInstanceOfSatisfying(FormatException.class, e -> assertThat(e.reason()).isEqualTo(FormatException.Reason.TRUNCATED))
                .hasMessage("the JPEG image is truncated (" + header.bytes() + " bytes): its end is missing");
    }

    private static int indexOf(byte[] jpeg, int marker) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
