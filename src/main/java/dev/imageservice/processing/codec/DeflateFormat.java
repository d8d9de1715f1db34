package dev.imageservice.processing.codec;

/**
 * What RFC 1950/1951 fix and every deflate coder shares: the match-length symbols and their extra
 * bits, the order of the code-length code, and the Adler-32 of two joined parts (zlib's
 * adler32_combine, which java.util.zip lacks; the parallel PNG encoder needs it).
 */
final class DeflateFormat {
    static final int MAX_MATCH = 258;
    static final int END_OF_BLOCK = 256;
    static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
        67, 83, 99, 115, 131, 163, 195, 227, 258};
    static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    /** For each match length 3..258: its symbol (257..285), extra-bit count and extra value. */
    static final int[] LENGTH_SYMBOL = new int[MAX_MATCH + 1];
    static final int[] LENGTH_EXTRA_BITS = new int[MAX_MATCH + 1];
    static final int[] LENGTH_EXTRA_VALUE = new int[MAX_MATCH + 1];
    static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    static {
        for (int code = 0; code < LENGTH_BASE.length; code++) {
            int top = code + 1 < LENGTH_BASE.length ? LENGTH_BASE[code + 1] : MAX_MATCH + 1;
            for (int length = LENGTH_BASE[code]; length < top && length <= MAX_MATCH; length++) {
                LENGTH_SYMBOL[length] = 257 + code;
                LENGTH_EXTRA_BITS[length] = LENGTH_EXTRA[code];
                LENGTH_EXTRA_VALUE[length] = length - LENGTH_BASE[code];
            }
        }
    }

    /**
     * The Adler-32 of A followed by B from the checksums of A and B and B's length (zlib's
     * adler32_combine; java.util.zip has none).
     */
    static int combineAdler(int adlerA, int adlerB, long lengthB) {
        final long base = 65521;
        long a = adlerA & 0xFFFFFFFFL;
        long b = adlerB & 0xFFFFFFFFL;
        long remainder = lengthB % base;
        long sum1 = a & 0xFFFF;
        long sum2 = (remainder * sum1) % base;
        sum1 += (b & 0xFFFF) + base - 1;
        sum2 += (a >>> 16) + (b >>> 16) + base - remainder;
        sum1 %= base;
        sum2 %= base;
        return (int) (sum1 | sum2 << 16);
    }

    private DeflateFormat() {
    }
}
