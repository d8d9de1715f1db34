package dev.imageservice.processing.codec;

import static dev.imageservice.processing.codec.DeflateFormat.MAX_MATCH;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The counting pass of {@link DeflateCoder}: the literal/length symbol frequencies of a block under
 * the coder's parse, and, in the same pass over the same 64-bit words, the stream's Adler-32
 * eight bytes at a time, so the checksum needs no pass of its own and no JNI call into zlib (Java 17
 * has no Adler-32 intrinsic on x86): the plain and the position-weighted sum of eight bytes come from
 * three multiplications of the bytes spread into 16-bit lanes, and a run adds its sums in closed form.
 */
final class SymbolCounter {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final int MOD = 65_521;
    private static final long EVEN_BYTES = 0x00FF00FF00FF00FFL;
    /** Weights 8, 6, 4, 2 of bytes 0, 2, 4, 6 (7, 5, 3, 1 of bytes 1, 3, 5, 7), summed into the top lane. */
    private static final long EVEN_WEIGHTS = 0x0008000600040002L;
    private static final long ODD_WEIGHTS = 0x0007000500030001L;
    private static final long LANE_SUM = 0x0001000100010001L;
    /** Bytes between Adler reductions: s2 stays far below 2^63. */
    private static final int REDUCE_BYTES = 1 << 20;
    private final int[][] counts = new int[4][256];
    private long s1 = 1;
    private long s2;
    /** Extra bits and distance bits of the matches of the block last counted. */
    long extraBits;

    /**
     * The parse shared with {@link DeflateCoder}'s emission: at each position past the block's first
     * byte with eight bytes left, if the next eight bytes all repeat the previous byte, a run match
     * of up to 258 bytes; otherwise eight literals. The last few bytes are literals.
     */
    void count(byte[] data, int start, int end, int[] frequencies) {
        int[] h0 = counts[0];
        int[] h1 = counts[1];
        int[] h2 = counts[2];
        int[] h3 = counts[3];
        for (int[] h : counts) {
            Arrays.fill(h, 0);
        }
        Arrays.fill(frequencies, 0);
        long extra = 0;
        long a = s1;
        long b = s2;
        int i = start;
        int reduceAt = start + REDUCE_BYTES;
        if (i < end) {
            int first = data[i++] & 0xFF;
            h0[first]++;
            a += first;
            b += a;
        }
        while (i + 8 <= end) {
            if (i >= reduceAt) {
                a %= MOD;
                b %= MOD;
                reduceAt = i + REDUCE_BYTES;
            }
            long w = (long) LONG_LE.get(data, i);
            long run = (data[i - 1] & 0xFFL) * ONES;
            if (w == run) {
                int j = runEnd(data, i, Math.min(end, i + MAX_MATCH), run);
                int length = j - i;
                long value = run & 0xFF;
                frequencies[DeflateFormat.LENGTH_SYMBOL[length]]++;
                extra += DeflateFormat.LENGTH_EXTRA_BITS[length] + 1;
                b += length * a + value * (length * (length + 1L) / 2);
                a += value * length;
                i = j;
                continue;
            }
            h0[(int) w & 0xFF]++;
            h1[(int) (w >>> 8) & 0xFF]++;
            h2[(int) (w >>> 16) & 0xFF]++;
            h3[(int) (w >>> 24) & 0xFF]++;
            h0[(int) (w >>> 32) & 0xFF]++;
            h1[(int) (w >>> 40) & 0xFF]++;
            h2[(int) (w >>> 48) & 0xFF]++;
            h3[(int) (w >>> 56)]++;
            long even = w & EVEN_BYTES;
            long odd = (w >>> 8) & EVEN_BYTES;
            b += (a << 3) + ((even * EVEN_WEIGHTS) >>> 48) + ((odd * ODD_WEIGHTS) >>> 48);
            a += ((even + odd) * LANE_SUM) >>> 48;
            i += 8;
        }
        for (; i < end; i++) {
            int value = data[i] & 0xFF;
            h0[value]++;
            a += value;
            b += a;
        }
        s1 = a % MOD;
        s2 = b % MOD;
        for (int s = 0; s < 256; s++) {
            frequencies[s] = h0[s] + h1[s] + h2[s] + h3[s];
        }
        extraBits = extra;
    }

    /** The Adler-32 of every byte counted so far. */
    int adler() {
        return (int) (s2 << 16 | s1);
    }

    /** The end of the run of {@code run}'s byte whose first eight bytes are at {@code i}, at most {@code limit}: eight bytes a step. */
    static int runEnd(byte[] data, int i, int limit, long run) {
        int j = i + 8;
        while (j + 8 <= limit) {
            long differs = (long) LONG_LE.get(data, j) ^ run;
            if (differs != 0) {
                return j + (Long.numberOfTrailingZeros(differs) >>> 3);
            }
            j += 8;
        }
        while (j < limit && data[j] == (byte) run) {
            j++;
        }
        return j;
    }
}
