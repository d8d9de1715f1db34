package dev.imageservice.processing.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.operation.SwapChannels;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages.Pixels;
import dev.imageservice.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.Mat;

/**
 * Property tests of our PNG encoder: over random sizes, every channel count and both bit depths, its
 * output decodes, in OpenCV and in the JDK's independent PNG reader, to exactly the expected pixels.
 */
class PngEncoderTest {
    private static final PngEncoder AS_OPENCV = new PngEncoder(PngEncoder.ChannelOrder.BGR);
    private static final PngEncoder SWAPPING = new PngEncoder(PngEncoder.ChannelOrder.RGB);

    /** Content kinds that stress different code shapes: smooth, noise (all 256 byte values), flat. */
    enum Content { PHOTO, NOISE, FLAT }

    record Case(int width, int height, int channels, int bitDepth, Content content, long seed) {
        Pixels pixels() {
            return switch (content) {
                case PHOTO -> TestImages.photoLike(width, height, channels, bitDepth, seed);
                case NOISE -> noise(width, height, channels, bitDepth, seed);
                case FLAT -> flat(width, height, channels, bitDepth, seed);
            };
        }

        @Override
        public String toString() {
            return width + "x" + height + "x" + channels + " " + bitDepth + "-bit " + content + " seed " + seed;
        }
    }

    /** Edge sizes (1 pixel, 1 row, 1 column, odd widths), then seeded random ones up to ~0.5 MP. */
    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        Random random = new Random(8);
        int[][] fixed = {{1, 1}, {1, 9}, {9, 1}, {3, 5}, {333, 17}, {1001, 3}};
        for (int channels = 1; channels <= 4; channels++) {
            for (int bitDepth : new int[] {8, 16}) {
                for (int[] size : fixed) {
                    cases.add(new Case(size[0], size[1], channels, bitDepth, Content.PHOTO, random.nextLong()));
                }
                for (Content content : Content.values()) {
                    int width = 1 + random.nextInt(800) | 1; // odd
                    int height = 1 + random.nextInt(600);
                    cases.add(new Case(width, height, channels, bitDepth, content, random.nextLong()));
                }
            }
        }
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesToTheSwappedPixelsInOpenCvAndImageIo(Case c) throws IOException {
        Pixels input = c.pixels();
        byte[] png = encode(SWAPPING, input);

        assertThat(openCvReads(png, input.channels())).isEqualTo(input.swapped());
        assertThat(imageIoReads(png, input)).isEqualTo(pngOrder(input.swapped()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inOpenCvOrderDecodesToTheInputPixels(Case c) throws IOException {
        Pixels input = c.pixels();
        byte[] png = encode(AS_OPENCV, input);

        assertThat(openCvReads(png, input.channels())).isEqualTo(input);
        assertThat(imageIoReads(png, input)).isEqualTo(pngOrder(input));
    }

    @Test
    void twoMegapixelPhotoIsExactAndNoLargerThanOpenCvs() throws IOException {
        Pixels input = TestImages.photoLike(1921, 1081, 3, 8, 77);
        byte[] ours = encode(SWAPPING, input);
        byte[] openCvs = TestImages.encode(input.swapped(), ".png");

        assertThat(openCvReads(ours, 3)).isEqualTo(input.swapped());
        assertThat(imageIoReads(ours, input)).isEqualTo(pngOrder(input.swapped()));
        assertThat(ours.length).isLessThanOrEqualTo(openCvs.length);
    }

    /** The memory budget may trust workingBytes: what one encode allocates stays within it. */
    @Test
    void allocatesNoMoreThanItsWorkingBytesEstimate() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // HotSpot counts every thread's allocations; a JVM without it cannot check the estimate.
        RequiredTools.require(threads.isThreadAllocatedMemorySupported(), "a JVM that counts per-thread allocations (HotSpot)");
        for (Pixels input : List.of(TestImages.photoLike(1921, 1081, 3, 8, 31), noise(1000, 700, 4, 16, 32))) {
            Mat mat = TestImages.toMat(input);
            try {
                SWAPPING.encode(mat); // load and initialise classes first
                long before = threads.getCurrentThreadAllocatedBytes();
                SWAPPING.encode(mat);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;

                assertThat(allocated).isLessThanOrEqualTo(
                        PngEncoder.workingBytes(input.width(), input.height(), input.channels(), input.bitDepth()));
            } finally {
                mat.release();
            }
        }
    }

    /**
     * The output buffer is kept for the thread's next image (a 12 MP photo's is 27 MB: allocating it
     * per image made G1 commit heap for it), and a reused, dirty buffer writes the same PNG.
     */
    @Test
    void writesIntoASinkFromABufferItKeepsForTheNextImage() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        RequiredTools.require(threads.isThreadAllocatedMemorySupported(), "a JVM that counts per-thread allocations (HotSpot)");
        Pixels input = TestImages.photoLike(1921, 1081, 3, 8, 41);
        Mat mat = TestImages.toMat(input);
        try {
            byte[] whole = SWAPPING.encode(mat);
            SWAPPING.encode(TestImages.toMat(noise(300, 200, 4, 16, 42))); // leaves other bytes in the buffer
            java.io.ByteArrayOutputStream sunk = new java.io.ByteArrayOutputStream(whole.length);
            int[] writes = {0};
            long before = threads.getCurrentThreadAllocatedBytes();
            SWAPPING.encodeInto(mat, (bytes, offset, length) -> {
                writes[0]++;
                sunk.write(bytes, offset, length);
            });
            long allocated = threads.getCurrentThreadAllocatedBytes() - before - whole.length; // the sink's own copy

            assertThat(sunk.toByteArray()).isEqualTo(whole);
            assertThat(writes[0]).isEqualTo(1);
            // Strip buffers only: no output buffer of ~3/4 of the pixels' 6.2 MB, no exact copy.
            assertThat(allocated).isLessThan(whole.length / 2);
        } finally {
            mat.release();
        }
    }

    /** A row longer than a deflate block (128 KiB) is split across blocks. */
    @Test
    void rowsLongerThanABlockAreExactToo() throws IOException {
        for (Pixels input : List.of(noise(33_001, 3, 4, 8, 12), TestImages.photoLike(16_501, 2, 4, 16, 13))) {
            for (PngEncoder encoder : List.of(SWAPPING, AS_OPENCV)) {
                Pixels expected = encoder == SWAPPING ? input.swapped() : input;
                byte[] png = encode(encoder, input);

                assertThat(openCvReads(png, 4)).isEqualTo(expected);
                assertThat(imageIoReads(png, input)).isEqualTo(pngOrder(expected));
            }
        }
    }

    @Test
    void absorbsTheChannelSwapButNothingElse() {
        assertThat(AS_OPENCV.absorb(new SwapChannels())).get()
                .isInstanceOfSatisfying(PngEncoder.class, e -> assertThat(e.order()).isEqualTo(PngEncoder.ChannelOrder.RGB));
        assertThat(AS_OPENCV.absorb(new ImageOperation() {
            @Override
            public String name() {
                return "other";
            }

            @Override
            public Mat apply(Mat source) {
                return source;
            }
        })).isEmpty();
    }

    @Test
    void pngcheckFindsNothingWrong(@TempDir Path dir) throws Exception {
        Path pngcheck = Path.of("/usr/bin/pngcheck");
        RequiredTools.require(Files.isExecutable(pngcheck),
                "/usr/bin/pngcheck is not installed (`apt-get install -y pngcheck`): validity not checked by libpng's pngcheck");
        List<Path> files = new ArrayList<>();
        Random random = new Random(9);
        for (int channels = 1; channels <= 4; channels++) {
            for (int bitDepth : new int[] {8, 16}) {
                Pixels input = channels == 3 && bitDepth == 8
                        // ~2.4 MB of IDAT: several chunks
                        ? TestImages.photoLike(1600, 1200, 3, 8, 10)
                        : TestImages.photoLike(1 + random.nextInt(300), 1 + random.nextInt(200), channels, bitDepth, 11);
                Path file = dir.resolve(channels + "ch-" + bitDepth + ".png");
                Files.write(file, encode(SWAPPING, input));
                files.add(file);
            }
        }
        for (Path file : files) {
            Process process = new ProcessBuilder(pngcheck.toString(), "-v", file.toString()).redirectErrorStream(true).start();
            String report = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(report).isZero();
            assertThat(report).contains("No errors detected");
        }
    }

    static byte[] encode(PngEncoder encoder, Pixels pixels) {
        Mat mat = TestImages.toMat(pixels);
        try {
            return encoder.encode(mat);
        } finally {
            mat.release();
        }
    }

    /** OpenCV's reading; it expands gray+alpha to B,G,R,A, so that is turned back into gray+alpha. */
    static Pixels openCvReads(byte[] png, int channels) {
        Pixels read = TestImages.decode(png);
        if (channels != 2 || read.channels() == 2) {
            return read;
        }
        assertThat(read.channels()).isEqualTo(4);
        int[] samples = new int[read.width() * read.height() * 2];
        for (int i = 0; i < read.width() * read.height(); i++) {
            int b = read.samples()[i * 4];
            assertThat(read.samples()[i * 4 + 1]).isEqualTo(b);
            assertThat(read.samples()[i * 4 + 2]).isEqualTo(b);
            samples[i * 2] = b;
            samples[i * 2 + 1] = read.samples()[i * 4 + 3];
        }
        return new Pixels(read.width(), read.height(), 2, read.bitDepth(), samples);
    }

    /** The JDK's pure-Java PNG reader: samples in the file's order (R,G,B[,A] or gray[,alpha]). */
    static Pixels imageIoReads(byte[] png, Pixels like) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("ImageIO could not read the PNG").isNotNull();
        int bands = image.getRaster().getNumBands();
        int[] samples = image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
        return new Pixels(image.getWidth(), image.getHeight(), bands, image.getColorModel().getComponentSize(0), samples);
    }

    /** Pixels with B,G,R(,A) reordered to the file's R,G,B(,A). */
    static Pixels pngOrder(Pixels opencvOrder) {
        return opencvOrder.swapped();
    }

    static Pixels noise(int width, int height, int channels, int bitDepth, long seed) {
        Random random = new Random(seed);
        int[] samples = new int[width * height * channels];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = random.nextInt(bitDepth == 16 ? 65536 : 256);
        }
        return new Pixels(width, height, channels, bitDepth, samples);
    }

    static Pixels flat(int width, int height, int channels, int bitDepth, long seed) {
        int[] samples = new int[width * height * channels];
        int value = (int) Math.floorMod(seed, bitDepth == 16 ? 65536 : 256);
        java.util.Arrays.fill(samples, value);
        return new Pixels(width, height, channels, bitDepth, samples);
    }
}
