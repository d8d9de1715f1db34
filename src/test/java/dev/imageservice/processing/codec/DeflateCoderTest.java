package dev.imageservice.processing.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The deflate coder alone: whatever it is given, java.util.zip.Inflater (zlib) gives it back. */
class DeflateCoderTest {

    record Input(String name, byte[] data, int blockBytes) {
        @Override
        public String toString() {
            return name + " (" + data.length + " bytes, blocks of " + blockBytes + ")";
        }
    }

    static Stream<Arguments> inputs() {
        Random random = new Random(13);
        byte[] noise = new byte[300_000];
        random.nextBytes(noise);
        byte[] residuals = new byte[200_001]; // small signed values, like filtered photo rows
        for (int i = 0; i < residuals.length; i++) {
            residuals[i] = (byte) Math.round(random.nextGaussian() * 3);
        }
        byte[] runs = new byte[100_003]; // runs of every length around the match limits
        for (int i = 0, length = 1; i < runs.length; length = length % 600 + 1) {
            byte value = (byte) random.nextInt(4);
            for (int k = 0; k < length && i < runs.length; k++) {
                runs[i++] = value;
            }
        }
        byte[] mixed = new byte[150_000];
        for (int i = 0; i < mixed.length; i += 1000) {
            if (random.nextBoolean()) {
                Arrays.fill(mixed, i, Math.min(mixed.length, i + 1000), (byte) random.nextInt(256));
            } else {
                for (int k = i; k < Math.min(mixed.length, i + 1000); k++) {
                    mixed[k] = (byte) random.nextInt(256);
                }
            }
        }
        byte[] zeros = new byte[1 << 20];
        // The largest sums the Adler-32 of the counting pass can meet, in one block past its reductions.
        byte[] high = new byte[3 << 20];
        Arrays.fill(high, (byte) 0xFF);
        byte[] highNoRuns = high.clone();
        for (int i = 0; i < highNoRuns.length; i += 7) {
            highNoRuns[i] = (byte) 0xFE;
        }
        return Stream.of(
                new Input("one byte", new byte[] {42}, 1),
                new Input("two bytes", new byte[] {7, 7}, 2),
                new Input("nine equal bytes", new byte[] {5, 5, 5, 5, 5, 5, 5, 5, 5}, 9),
                new Input("noise (stored blocks)", noise, 128 * 1024),
                new Input("noise in small blocks", noise, 1000),
                new Input("residuals", residuals, 128 * 1024),
                new Input("residuals in odd blocks", residuals, 7777),
                new Input("runs", runs, 128 * 1024),
                new Input("runs in blocks that cut them", runs, 257),
                new Input("mixed", mixed, 128 * 1024),
                new Input("zeros", zeros, 128 * 1024),
                new Input("0xFF runs in one block", high, high.length),
                new Input("bytes near 0xFF in one block", highNoRuns, highNoRuns.length)).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void inflaterGivesTheInputBack(Input input) throws DataFormatException {
        byte[] compressed = compress(input.data(), input.blockBytes());

        assertThat(inflate(compressed, input.data().length)).isEqualTo(input.data());
    }

    @Test
    void runsAreMatchedNotSpelledOut() throws DataFormatException {
        byte[] zeros = new byte[1 << 20];
        byte[] compressed = compress(zeros, 128 * 1024);

        assertThat(inflate(compressed, zeros.length)).isEqualTo(zeros);
        // Literals alone would take at least one bit a byte (128 KiB); 258-byte matches take ~3 bits.
        assertThat(compressed.length).isLessThan(2_000);
    }

    @Test
    void noiseGrowsByAtMostTheStoredBlockOverhead() {
        byte[] noise = new byte[1 << 20];
        new Random(2).nextBytes(noise);

        assertThat(compress(noise, 128 * 1024).length).isLessThan(noise.length + noise.length / 1000 + 64);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void theStreamEndsWithTheAdler32OfTheInput(Input input) {
        byte[] compressed = compress(input.data(), input.blockBytes());
        Adler32 adler = new Adler32();
        adler.update(input.data());

        int n = compressed.length;
        int trailer = (compressed[n - 4] & 0xFF) << 24 | (compressed[n - 3] & 0xFF) << 16
                | (compressed[n - 2] & 0xFF) << 8 | (compressed[n - 1] & 0xFF);
        assertThat(trailer).isEqualTo((int) adler.getValue());
    }

    static byte[] compress(byte[] data, int blockBytes) {
        OutputBytes out = new OutputBytes(16);
        DeflateCoder coder = new DeflateCoder(out);
        coder.start();
        for (int start = 0; start < data.length; start += blockBytes) {
            int end = Math.min(data.length, start + blockBytes);
            coder.block(data, start, end, end == data.length);
        }
        coder.finish();
        return out.toArray();
    }

    private static byte[] inflate(byte[] compressed, int expectedLength) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            byte[] result = new byte[expectedLength + 1];
            int n = 0;
            while (!inflater.finished() && n < result.length) {
                int got = inflater.inflate(result, n, result.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            assertThat(inflater.finished()).as("the stream is complete (final block, valid Adler-32)").isTrue();
            assertThat(inflater.getRemaining()).as("no bytes after the stream").isZero();
            return Arrays.copyOf(result, n);
        } finally {
            inflater.end();
        }
    }
}
