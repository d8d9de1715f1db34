package dev.imageservice.processing.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.processing.format.JpegTraits;
import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.JpegSegments;
import dev.imageservice.testing.TestImages.Pixels;
import dev.imageservice.testing.TestImages;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/** The fast JPEG path gives OpenCV's pixels bit for bit, and leaves to OpenCV what it cannot. */
class FastDecoderTest {
    static {
        OpenCvLibrary.load();
    }

    private static final OpenCvDecoder OPENCV = new OpenCvDecoder();
    /** Fails the test if the fast path hands the image to the fallback. */
    private static final FastDecoder FAST_ONLY = new FastDecoder((data, format) -> {
        throw new AssertionError("fell back to the fallback decoder");
    });
    private static final FastDecoder FAST = new FastDecoder(OPENCV);

    record Variant(String name, byte[] jpeg) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The JPEG flavours photos come in, over odd sizes (partial MCUs at the right and bottom). */
    static Stream<Arguments> plainJpegs() {
        List<Variant> variants = new ArrayList<>();
        Random random = new Random(12);
        int[][] sizes = {{1, 1}, {17, 9}, {333, 211}, {1 + random.nextInt(1500), 1 + random.nextInt(1000)}};
        int[][] sampling = {
                {Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420},
                {Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422},
                {Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444},
                {Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_411},
                {Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR, Imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_440},
                {Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1},
                {Imgcodecs.IMWRITE_JPEG_OPTIMIZE, 1, Imgcodecs.IMWRITE_JPEG_QUALITY, 60},
                {Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 3, Imgcodecs.IMWRITE_JPEG_QUALITY, 100},
        };
        String[] samplingNames = {"4:2:0", "4:2:2", "4:4:4", "4:1:1", "4:4:0", "progressive", "optimized q60", "restarts q100"};
        for (int[] size : sizes) {
            Pixels color = TestImages.photoLike(size[0], size[1], 3, 8, random.nextLong());
            Pixels gray = TestImages.photoLike(size[0], size[1], 1, 8, random.nextLong());
            String shape = size[0] + "x" + size[1] + " ";
            for (int i = 0; i < sampling.length; i++) {
                variants.add(new Variant(shape + samplingNames[i], TestImages.encode(color, ".jpg", sampling[i])));
            }
            variants.add(new Variant(shape + "gray", TestImages.encode(gray, ".jpg")));
            variants.add(new Variant(shape + "gray progressive", TestImages.encode(gray, ".jpg", Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1)));
        }
        return variants.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainJpegs")
    void plainJpegsDecodeOnTheFastPathToOpenCvsPixels(Variant variant) {
        assertThat(plain(variant.jpeg())).isTrue();
        assertThat(decode(FAST_ONLY, variant.jpeg())).isEqualTo(decode(OPENCV, variant.jpeg()));
    }

    @Test
    void cmykJpegIsLeftToOpenCv() {
        byte[] cmyk = EdgeCases.cmykJpeg();

        assertThat(plain(cmyk)).isFalse();
        assertThat(decode(FAST, cmyk)).isEqualTo(decode(OPENCV, cmyk));
    }

    /** The JDK reader would convert the colours by the profile; OpenCV ignores it, so must we. */
    @Test
    void jpegWithAnIccProfileIsLeftToOpenCv() {
        byte[] jpeg = JpegSegments.afterSoi(TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 3), ".jpg"), 0xE2,
                iccSegment(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData()));

        assertThat(plain(jpeg)).isFalse();
        assertThat(decode(FAST, jpeg)).isEqualTo(decode(OPENCV, jpeg));
    }

    @Test
    void jpegWithAnAdobeMarkerIsLeftToOpenCv() {
        // Adobe APP14, transform 0: the three components are R,G,B, not YCbCr.
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] jpeg = JpegSegments.afterSoi(TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 4), ".jpg"), 0xEE, adobe);

        assertThat(plain(jpeg)).isFalse();
        assertThat(decode(FAST, jpeg)).isEqualTo(decode(OPENCV, jpeg));
    }

    /** libjpeg warns and goes on; whatever it then makes of the rest, the answer is OpenCV's. */
    @Test
    void corruptScanDataGivesOpenCvsAnswer() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(320, 240, 3, 8, 5), ".jpg");
        Random random = new Random(6);
        int compared = 0;
        for (int round = 0; round < 20; round++) {
            byte[] corrupt = jpeg.clone();
            for (int k = 0; k < 5; k++) {
                corrupt[jpeg.length / 3 + random.nextInt(jpeg.length / 2)] = (byte) random.nextInt(256);
            }
            Pixels expected;
            try {
                expected = decode(OPENCV, corrupt);
            } catch (ImageProcessingException e) {
                continue;
            }
            assertThat(decode(FAST, corrupt)).as("round " + round).isEqualTo(expected);
            compared++;
        }
        assertThat(compared).as("rounds that OpenCV decoded and we compared").isGreaterThan(5);
    }

    /** Also without libturbojpeg: libjpeg's "premature end of data" is a refusal, not grey pixels. */
    @Test
    void jpegWhoseDataEndsEarlyIsRefusedAsTruncated() {
        byte[] cut = EdgeCases.jpegCutShort();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode(FAST, cut))
                .isInstanceOfSatisfying(ImageProcessingException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImageProcessingException.Kind.INVALID_IMAGE))
                .hasMessageContaining("truncated");
    }

    @Test
    void otherFormatsGoToTheFallback() {
        Pixels input = TestImages.photoLike(40, 30, 4, 16, 7);
        byte[] png = TestImages.encode(input, ".png");

        assertThat(decode(FAST, png)).isEqualTo(input);
    }

    private static Pixels decode(ImageDecoder decoder, byte[] data) {
        Mat mat = decoder.decode(data, FormatProbe.probe(data));
        try {
            return TestImages.fromMat(mat);
        } finally {
            mat.release();
        }
    }

    /** What the fast path decides from the probe's traits. */
    private static boolean plain(byte[] jpeg) {
        return FastDecoder.plain((JpegTraits) FormatProbe.probe(jpeg).traits());
    }

    static byte[] iccSegment(byte[] profile) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
        body.write(1); // chunk 1
        body.write(1); // of 1
        body.writeBytes(profile);
        return body.toByteArray();
    }
}
