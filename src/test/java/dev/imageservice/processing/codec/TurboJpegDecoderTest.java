package dev.imageservice.processing.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.JpegSegments;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages.Pixels;
import dev.imageservice.testing.TestImages;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * libjpeg-turbo's TurboJPEG (Debian's, with SIMD) gives OpenCV's pixels bit for bit for every JPEG
 * kind it accepts, leaves the rest to OpenCV, and refuses JPEGs whose data ends early.
 */
class TurboJpegDecoderTest {
    static {
        OpenCvLibrary.load();
    }

    private static final OpenCvDecoder OPENCV = new OpenCvDecoder();
    private static TurboJpegDecoder fastOnly;
    private static TurboJpegDecoder fast;

    @BeforeAll
    static void needsTheLibrary() {
        // .ci/run installs libturbojpeg0; without it the service runs on FastDecoder (tested there).
        RequiredTools.require(TurboJpeg.available(),
                () -> "libturbojpeg.so.0 missing (`apt-get install -y libturbojpeg0`): " + TurboJpeg.load().orElse(""));
        fastOnly = new TurboJpegDecoder((data, format) -> {
            throw new AssertionError("fell back to the fallback decoder");
        });
        fast = new TurboJpegDecoder(OPENCV);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.imageservice.processing.codec.FastDecoderTest#plainJpegs")
    void plainJpegsDecodeToOpenCvsPixels(FastDecoderTest.Variant variant) {
        assertThat(decode(fastOnly, variant.jpeg())).isEqualTo(decode(OPENCV, variant.jpeg()));
    }

    /** Shrink-on-load gives what OpenCV's IMREAD_REDUCED_COLOR_n (libjpeg's scale_denom) gives. */
    @ParameterizedTest(name = "1/{0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 4, 8})
    void scaledDecodeMatchesOpenCvsReducedRead(int denominator) {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(333, 211, 3, 8, 21), ".jpg");
        int flag = switch (denominator) {
            case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
            default -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
        };
        MatOfByte buffer = new MatOfByte(jpeg);
        Mat reduced = Imgcodecs.imdecode(buffer, flag);
        Mat scaled = fastOnly.decodeScaled(jpeg, FormatProbe.probe(jpeg), denominator);
        try {
            assertThat(scaled.cols()).isEqualTo((333 + denominator - 1) / denominator);
            assertThat(TestImages.fromMat(scaled)).isEqualTo(TestImages.fromMat(reduced));
        } finally {
            buffer.release();
            reduced.release();
            scaled.release();
        }
    }

    /** Both ignore an ICC profile (OpenCV does not convert colours by it), so it stays on the fast path. */
    @Test
    void jpegWithAnIccProfileDecodesToOpenCvsPixels() {
        byte[] jpeg = JpegSegments.afterSoi(TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 3), ".jpg"), 0xE2,
                FastDecoderTest.iccSegment(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData()));

        assertThat(decode(fastOnly, jpeg)).isEqualTo(decode(OPENCV, jpeg));
    }

    @Test
    void cmykJpegIsLeftToOpenCv() {
        byte[] cmyk = EdgeCases.cmykJpeg();

        assertThatThrownBy(() -> decode(fastOnly, cmyk)).hasMessageContaining("fell back");
        assertThat(decode(fast, cmyk)).isEqualTo(decode(OPENCV, cmyk));
    }

    /**
     * An Adobe marker saying R,G,B beside a JFIF marker: libjpeg (in both builds) believes JFIF, so
     * the colour space, and the pixels, are the same on either path.
     */
    @Test
    void adobeMarkerBesideJfifGivesOpenCvsPixels() {
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] jpeg = JpegSegments.afterSoi(TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 4), ".jpg"), 0xEE, adobe);

        assertThat(decode(fast, jpeg)).isEqualTo(decode(OPENCV, jpeg));
    }

    /**
     * Bytes overwritten inside the scan: libjpeg warns. The answer is OpenCV's pixels, or a refusal
     * as truncated when libjpeg says the data ended early (a corrupt byte can end a scan).
     */
    @Test
    void corruptScanDataGivesOpenCvsAnswerOrIsRefused() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(320, 240, 3, 8, 5), ".jpg");
        Random random = new Random(6);
        int compared = 0;
        for (int round = 0; round < 40; round++) {
            byte[] corrupt = jpeg.clone();
            for (int k = 0; k < 5; k++) {
                corrupt[jpeg.length / 3 + random.nextInt(jpeg.length / 2)] = (byte) random.nextInt(256);
            }
            Pixels ours;
            try {
                ours = decode(fast, corrupt);
            } catch (ImageProcessingException e) {
                assertThat(e.kind()).isEqualTo(ImageProcessingException.Kind.INVALID_IMAGE);
                continue;
            }
            assertThat(ours).as("round " + round).isEqualTo(decode(OPENCV, corrupt));
            compared++;
        }
        assertThat(compared).as("rounds decoded and compared with OpenCV").isGreaterThan(5);
    }

    /** Issue 12: 2 KB claiming a big frame, with an end marker: libjpeg would fill it with grey. */
    @ParameterizedTest(name = "progressive={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void jpegWhoseDataEndsEarlyIsRefusedAsTruncated(boolean progressive) {
        byte[] jpeg = progressive
                ? TestImages.encode(TestImages.photoLike(1200, 900, 3, 8, 9), ".jpg", Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1)
                : TestImages.encode(TestImages.photoLike(1200, 900, 3, 8, 9), ".jpg");
        byte[] cut = truncatedWithEndMarker(jpeg, 4000);

        assertThatThrownBy(() -> decode(fast, cut))
                .isInstanceOfSatisfying(ImageProcessingException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImageProcessingException.Kind.INVALID_IMAGE))
                .hasMessageContaining("truncated");
    }

    /** A failed call must not spoil the next one (pooled handles are dropped after an error). */
    @Test
    void everyFailureLeavesTheNextDecodeExact() {
        byte[] good = TestImages.encode(TestImages.photoLike(97, 55, 3, 8, 41), ".jpg");
        Pixels expected = decode(OPENCV, good);
        byte[][] bad = {Arrays.copyOf(good, 300), EdgeCases.jpegCutShort(), {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9}};
        for (byte[] input : bad) {
            try {
                decode(fast, input);
            } catch (RuntimeException expectedRefusal) {
                // the probe's, OpenCV's or our refusal: either way the next decode must be unaffected
            }
            assertThat(decode(fastOnly, good)).isEqualTo(expected);
        }
    }

    /** The first {@code keep} bytes and an EOI marker, as an attacker would send. */
    static byte[] truncatedWithEndMarker(byte[] jpeg, int keep) {
        byte[] cut = Arrays.copyOf(jpeg, keep + 2);
        cut[keep] = (byte) 0xFF;
        cut[keep + 1] = (byte) 0xD9;
        return cut;
    }

    private static Pixels decode(ImageDecoder decoder, byte[] data) {
        Mat mat = decoder.decode(data, FormatProbe.probe(data));
        try {
            return TestImages.fromMat(mat);
        } finally {
            mat.release();
        }
    }
}
