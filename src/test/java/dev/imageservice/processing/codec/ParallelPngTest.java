package dev.imageservice.processing.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Adler32;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large image coded in parallel parts on lent threads (idle workers): one valid zlib stream with
 * the right Adler-32 and the same pixels; and the same PNG byte for byte however many threads were
 * lent, none included, so that the answer never depends on the server's load.
 */
class ParallelPngTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    /** Lends up to {@code limit} threads of a real pool and counts what it lent. */
    static final class Lender implements SpareThreads {
        final int limit;
        final AtomicInteger lent = new AtomicInteger();
        final AtomicInteger everLent = new AtomicInteger();

        Lender(int limit) {
            this.limit = limit;
        }

        @Override
        public int borrow(int wanted) {
            int granted = Math.min(wanted, limit - lent.get());
            lent.addAndGet(granted);
            everLent.addAndGet(granted);
            return granted;
        }

        @Override
        public void giveBack(int count) {
            lent.addAndGet(-count);
        }

        @Override
        public void execute(Runnable task) {
            POOL.execute(task);
        }
    }

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    @Test
    void partsCodedOnLentThreadsGiveTheSameBytesAsOneThreadAndAValidStream() throws Exception {
        for (Pixels input : List.of(TestImages.photoLike(2001, 1203, 3, 8, 41), PngEncoderTest.noise(1400, 900, 4, 8, 42),
                TestImages.photoLike(1801, 1301, 1, 16, 43))) {
            Lender lender = new Lender(3);
            byte[] parallel = PngEncoderTest.encode(new PngEncoder(PngEncoder.ChannelOrder.RGB, lender), input);
            byte[] alone = PngEncoderTest.encode(new PngEncoder(PngEncoder.ChannelOrder.RGB), input);

            assertThat(lender.everLent.get()).as("threads lent").isPositive();
            assertThat(lender.lent.get()).as("all given back").isZero();
            assertThat(parallel).isEqualTo(alone);
            assertThat(idatChunks(parallel)).as("one IDAT a part (parts of whole strips: at most parts())")
                    .isBetween(2, ParallelRows.parts(input.height(), input.width() * input.channels() * input.bitDepth() / 8));
            assertThat(PngEncoderTest.openCvReads(parallel, input.channels())).isEqualTo(input.swapped());
            inflateIdat(parallel);
        }
    }

    @Test
    void oneTwoOrThreeLentThreadsOrNoneGiveTheSameBytes() {
        Pixels input = TestImages.photoLike(1921, 1381, 3, 8, 44);
        byte[] alone = PngEncoderTest.encode(new PngEncoder(PngEncoder.ChannelOrder.BGR), input);
        for (int limit = 0; limit <= 3; limit++) {
            Lender lender = new Lender(limit);

            assertThat(PngEncoderTest.encode(new PngEncoder(PngEncoder.ChannelOrder.BGR, lender), input))
                    .as(limit + " threads lent").isEqualTo(alone);
            assertThat(lender.everLent.get()).isEqualTo(limit);
        }
        assertThat(PngEncoderTest.openCvReads(alone, 3)).isEqualTo(input);
    }

    @Test
    void smallImagesBorrowNothing() {
        Lender lender = new Lender(3);
        PngEncoderTest.encode(new PngEncoder(PngEncoder.ChannelOrder.BGR, lender), TestImages.photoLike(640, 480, 3, 8, 45));

        assertThat(lender.everLent.get()).isZero();
    }

    @Test
    void adlerOfTwoPartsCombinesToTheAdlerOfTheWhole() {
        byte[] data = new byte[300_000];
        new java.util.Random(46).nextBytes(data);
        for (int split : new int[] {0, 1, 65_521, 65_522, 150_000, 300_000}) {
            Adler32 a = new Adler32();
            a.update(data, 0, split);
            Adler32 b = new Adler32();
            b.update(data, split, data.length - split);
            Adler32 whole = new Adler32();
            whole.update(data);

            assertThat(DeflateFormat.combineAdler((int) a.getValue(), (int) b.getValue(), data.length - split))
                    .as("split at " + split).isEqualTo((int) whole.getValue());
        }
    }

    @Test
    void pngcheckFindsNothingWrongInAStitchedImage(@TempDir Path dir) throws Exception {
        Path pngcheck = Path.of("/usr/bin/pngcheck");
        RequiredTools.require(Files.isExecutable(pngcheck), "/usr/bin/pngcheck (apt-get install -y pngcheck)");
        Path file = dir.resolve("parallel.png");
        Files.write(file, PngEncoderTest.encode(new PngEncoder(PngEncoder.ChannelOrder.RGB, new Lender(2)),
                TestImages.photoLike(2500, 1400, 3, 8, 47)));
        Process process = new ProcessBuilder(pngcheck.toString(), "-v", file.toString()).redirectErrorStream(true).start();
        String report = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(report).isZero();
        assertThat(report).contains("No errors detected");
    }

    static int idatChunks(byte[] png) {
        int count = 0;
        for (int p = 8; p < png.length; ) {
            int length = ((png[p] & 0xFF) << 24) | ((png[p + 1] & 0xFF) << 16) | ((png[p + 2] & 0xFF) << 8) | (png[p + 3] & 0xFF);
            if (new String(png, p + 4, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("IDAT")) {
                count++;
            }
            p += 12 + length;
        }
        return count;
    }

    /** The filtered rows: every IDAT's data joined and inflated by zlib, which checks the Adler-32. */
    static byte[] inflateIdat(byte[] png) throws Exception {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        int p = 8;
        while (p < png.length) {
            int length = ((png[p] & 0xFF) << 24) | ((png[p + 1] & 0xFF) << 16) | ((png[p + 2] & 0xFF) << 8) | (png[p + 3] & 0xFF);
            String type = new String(png, p + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(length).isLessThanOrEqualTo(3 << 20); // 1 MiB, or one part (2 MiB of rows, compressed)
            if (type.equals("IDAT")) {
                zlib.write(png, p + 8, length);
            }
            p += 12 + length;
        }
        Inflater inflater = new Inflater();
        inflater.setInput(zlib.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            assertThat(n > 0 || !inflater.needsInput()).as("stream ends early").isTrue();
            out.write(buffer, 0, n);
        }
        assertThat(inflater.getRemaining()).isZero();
        inflater.end();
        return out.toByteArray();
    }
}
