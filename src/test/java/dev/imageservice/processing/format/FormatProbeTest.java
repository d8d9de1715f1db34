package dev.imageservice.processing.format;

import static dev.imageservice.processing.format.ProbeAssertions.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.JpegSegments;
import dev.imageservice.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The probe: which format, what it refuses up front, and which bytes it reads. */
class FormatProbeTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void sniffsEveryFormatByItsMagicNumber() {
        assertThat(FormatProbe.sniff(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".jpg"))).isEqualTo(ImageFormat.JPEG);
        assertThat(FormatProbe.sniff(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".png"))).isEqualTo(ImageFormat.PNG);
        assertThat(FormatProbe.sniff(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".webp"))).isEqualTo(ImageFormat.WEBP);
        assertThat(FormatProbe.sniff(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".tiff"))).isEqualTo(ImageFormat.TIFF);
        assertThat(FormatProbe.sniff(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".bmp"))).isEqualTo(ImageFormat.BMP);
        assertThat(FormatProbe.sniff(TestImages.encode(TestImages.photoLike(8, 8, 3, 8, 1), ".ppm"))).isEqualTo(ImageFormat.PNM);
        assertThat(FormatProbe.sniff(TestImages.encode(TestImages.photoLike(64, 64, 3, 8, 1), ".jp2"))).isEqualTo(ImageFormat.JPEG2000);
        assertThat(FormatProbe.sniff(EdgeCases.jpeg2000Bomb())).isEqualTo(ImageFormat.JPEG2000);
        assertThat(FormatProbe.sniff(EdgeCases.gif())).isEqualTo(ImageFormat.GIF);
        assertThat(FormatProbe.sniff(ascii("#?RADIANCE\n"))).isEqualTo(ImageFormat.HDR);
        assertThat(FormatProbe.sniff(ascii("\0\0\0\u0018ftypheic\0\0\0\0"))).isEqualTo(ImageFormat.HEIF);
        assertThat(FormatProbe.sniff(ascii("RIFF\0\0\0\0WAVE"))).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(FormatProbe.sniff(new byte[0])).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(FormatProbe.sniff(new byte[] {(byte) 0xFF})).isEqualTo(ImageFormat.UNKNOWN);
    }

    @Test
    void unrecognisedFilesAreRefusedUpFront() {
        byte[] random = new byte[10_000];
        new Random(1).nextBytes(random);

        refused(random, FormatException.Reason.UNRECOGNISED, "could not decode the image: not a recognised image format");
        refused(ascii("Hello, I am not an image.\n"), FormatException.Reason.UNRECOGNISED, "not a recognised image format");
        refused(new byte[0], FormatException.Reason.UNRECOGNISED, "not a recognised image format");
    }

    @Test
    void formatsTheServiceDoesNotReadAreUnsupported() {
        refused(EdgeCases.gif(), FormatException.Reason.UNSUPPORTED, "unsupported image format: GIF");
        refused(ascii("\0\0\0\u0018ftypavif\0\0\0\0"), FormatException.Reason.UNSUPPORTED, "unsupported image format: HEIF/AVIF");
        refused(ascii("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 30000 +X 30000\n"), FormatException.Reason.UNSUPPORTED,
                "unsupported image format: Radiance HDR (floating-point)");
    }

    @Test
    void readsOnlyTheHeadWhenTheHeaderIsInIt() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(900, 600, 3, 8, 2), ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 100);
        assertThat(jpeg.length).isGreaterThan(FormatProbe.HEAD_BYTES);
        Counting input = new Counting(jpeg);

        ImageHeader header = FormatProbe.probe(input);

        assertThat(header.width()).isEqualTo(900);
        assertThat(header.bytes()).isEqualTo(jpeg.length);
        assertThat(input.wholeReads.get()).isZero();
        assertThat(input.tailReads.get()).isEqualTo(1); // for its end marker
    }

    @Test
    void readsTheWholeFileOnlyWhenTheHeaderIsBeyondTheHead() {
        byte[] exif = new byte[65_000];
        byte[] jpeg = TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 3), ".jpg");
        for (int i = 0; i < 5; i++) {
            jpeg = JpegSegments.afterSoi(jpeg, 0xE1, exif);
        }
        byte[] png = TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 3), ".png");
        Counting far = new Counting(jpeg);
        Counting near = new Counting(png);

        assertThat(FormatProbe.probe(far).width()).isEqualTo(64);
        assertThat(FormatProbe.probe(near).width()).isEqualTo(64);
        assertThat(far.wholeReads.get()).isEqualTo(1);
        assertThat(near.wholeReads.get()).isZero();
        assertThat(near.tailReads.get()).isZero(); // only JPEG needs its tail
    }

    /** Counts which parts of the file the probe asked for. */
    private static final class Counting implements ProbeInput {
        private final ProbeInput data;
        final AtomicInteger wholeReads = new AtomicInteger();
        final AtomicInteger tailReads = new AtomicInteger();

        Counting(byte[] data) {
            this.data = ProbeInput.of(data);
        }

        @Override
        public int size() {
            return data.size();
        }

        @Override
        public byte[] head(int n) {
            return data.head(n);
        }

        @Override
        public byte[] tail(int n) {
            tailReads.incrementAndGet();
            return data.tail(n);
        }

        @Override
        public byte[] bytes() {
            wholeReads.incrementAndGet();
            return data.bytes();
        }
    }
}
