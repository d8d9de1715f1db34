package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.testing.LyingHeaders;
import dev.imageservice.testing.TestImages;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opencv.imgcodecs.Imgcodecs;

/** WebP's three first chunks (VP8, VP8L, VP8X); lies and truncation. */
class WebpReaderTest {

    private static ImageHeader probe(byte[] webp) {
        return FormatProbe.probe(webp);
    }

    @Test
    void readsLossyLosslessAndAlpha() {
        byte[] lossy = TestImages.encode(TestImages.photoLike(41, 31, 3, 8, 1), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80);
        byte[] lossless = TestImages.encode(TestImages.photoLike(43, 33, 3, 8, 2), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101);
        byte[] alpha = TestImages.encode(TestImages.photoLike(45, 35, 4, 8, 3), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101);

        assertThat(probe(lossy)).extracting(ImageHeader::format, ImageHeader::width, ImageHeader::height, ImageHeader::complete)
                .containsExactly(ImageFormat.WEBP, 41, 31, true);
        assertThat(probe(lossy).traits()).isEqualTo(new WebpTraits(WebpTraits.Kind.LOSSY, false, false));
        assertThat(probe(lossless)).extracting(ImageHeader::width, ImageHeader::height).containsExactly(43, 33);
        assertThat(((WebpTraits) probe(lossless).traits()).kind()).isEqualTo(WebpTraits.Kind.LOSSLESS);
        assertThat(probe(alpha)).extracting(ImageHeader::width, ImageHeader::height).containsExactly(45, 35);
        assertThat(((WebpTraits) probe(alpha).traits()).alpha()).isTrue();
    }

    @Test
    void lyingHeadersOfEachKindAreReadAsTheyLie() {
        assertThat(probe(LyingHeaders.webpLossy())).extracting(ImageHeader::width, ImageHeader::height, ImageHeader::complete)
                .containsExactly(16383, 16383, true);
        assertThat(probe(LyingHeaders.webpLossless())).extracting(ImageHeader::width, ImageHeader::height, ImageHeader::complete)
                .containsExactly(16384, 16384, true);
        ImageHeader extended = probe(LyingHeaders.webpExtended());
        assertThat(extended).extracting(ImageHeader::width, ImageHeader::height, ImageHeader::complete)
                .containsExactly(60_000, 60_000, true);
        assertThat(extended.traits()).isEqualTo(new WebpTraits(WebpTraits.Kind.EXTENDED, false, false));
    }

    @Test
    void aWebpShorterThanItsRiffHeaderSaysIsIncomplete() {
        byte[] webp = TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 4), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80);
        ImageHeader cut = probe(Arrays.copyOf(webp, webp.length - 10));

        assertThat(cut.complete()).isFalse();
        assertThatThrownBy(cut::requireComplete).isInstanceOf(FormatException.class)
                .hasMessage("the WebP image is truncated (" + (webp.length - 10) + " bytes): its end is missing");
    }

    @Test
    void unknownFirstChunksAndBadSignaturesAreCorrupt() {
        byte[] webp = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 5), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80);
        byte[] unknownChunk = webp.clone();
        unknownChunk[15] = 'Q';
        byte[] badStartCode = webp.clone();
        badStartCode[23] = 0;

        refused(unknownChunk, FormatException.Reason.CORRUPT, "corrupt WebP data (no valid image header)");
        refused(badStartCode, FormatException.Reason.CORRUPT, "corrupt WebP data (no valid image header)");
        refused(Arrays.copyOf(webp, 20), FormatException.Reason.CORRUPT, "no valid image header");
    }
}
