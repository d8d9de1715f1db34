package dev.imageservice.processing.codec;

import static dev.imageservice.processing.codec.DeflateFormat.END_OF_BLOCK;
import static dev.imageservice.processing.codec.DeflateFormat.MAX_MATCH;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A zlib stream (RFC 1950/1951) written for speed on filtered image data, in the manner of fpnge:
 * each block gets its own Huffman table fitted to that block's bytes; the only LZ77 matches are
 * runs (distance 1, the previous byte repeated, as zlib's RLE strategy finds them), found eight
 * bytes at a time; codes are emitted into a 64-bit bit buffer stored whole. A block that Huffman
 * coding would not shrink (noise) is stored. The Adler-32 is summed in the counting pass
 * ({@link SymbolCounter}). Any inflater reads the output.
 *
 * <p>Writes into an {@link OutputBytes} shared with the caller, so a container (PNG's IDAT chunks)
 * can be framed around the stream between blocks without copying it. Not thread-safe: one coder per
 * stream.
 */
final class DeflateCoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private final OutputBytes out;
    private final SymbolCounter counter = new SymbolCounter();
    private final Huffman literals = new Huffman(286, 15);
    private final Huffman lengthCodes = new Huffman(19, 7);
    /** Per match length, the whole match (length code, extra bits, distance code 0) as code | bits << 32. */
    private final long[] matchCodes = new long[MAX_MATCH + 1];
    private long bitBuffer;
    private int bitCount;

    DeflateCoder(OutputBytes out) {
        this.out = out;
    }

    /** The largest output one block of {@code length} bytes can make (a stored block, or codes of <= 15 bits). */
    static int maxBlockOutput(int length) {
        return length * 2 + 1024;
    }

    /** The zlib header: deflate, 32 KiB window, fastest level; a multiple of 31 as required. */
    void start() {
        writeBits(0x0178, 16);
    }

    /** Compresses {@code data[start, end)} as one or more blocks; {@code last} ends the deflate stream. */
    void block(byte[] data, int start, int end, boolean last) {
        int[] frequencies = literals.frequencies;
        counter.count(data, start, end, frequencies);
        frequencies[END_OF_BLOCK] = 1;
        literals.build();
        long headerBits = prepareCodeLengths();
        long codedBits = headerBits + 3;
        for (int s = 0; s < 286; s++) {
            codedBits += (long) frequencies[s] * literals.lengths[s];
        }
        codedBits += counter.extraBits;
        out.ensure(maxBlockOutput(end - start) + 16);
        if (codedBits > (long) (end - start) * 8 + 64) {
            stored(data, start, end, last);
            return;
        }
        writeBits(last ? 1 : 0, 1);
        writeBits(2, 2); // dynamic Huffman codes
        writeCodeLengths();
        for (int length = 3; length <= MAX_MATCH; length++) {
            int symbol = DeflateFormat.LENGTH_SYMBOL[length];
            int codeLength = literals.lengths[symbol];
            int extra = DeflateFormat.LENGTH_EXTRA_BITS[length];
            // Distance code 0 (distance 1) is the one-bit code 0: it adds a zero bit.
            matchCodes[length] = (literals.codes[symbol] | (long) DeflateFormat.LENGTH_EXTRA_VALUE[length] << codeLength)
                    | (long) (codeLength + extra + 1) << 32;
        }
        emit(data, start, end);
        writeBits(literals.codes[END_OF_BLOCK], literals.lengths[END_OF_BLOCK]);
    }

    /** Ends the stream: pads to a byte and appends the Adler-32 of everything compressed. */
    void finish() {
        alignToByte();
        out.putIntBE(counter.adler());
    }

    /**
     * Ends one independent part of a stream compressed in parts (no zlib header or trailer of its
     * own): pads to a byte, after an empty stored block unless the part's last block was the
     * stream's last (zlib's sync flush), so that the next part can start at a byte boundary.
     */
    void finishPart(boolean lastPart) {
        if (!lastPart) {
            writeBits(0, 3); // a stored block, not the last
            alignToByte();
            out.ensure(4);
            out.data[out.size++] = 0;
            out.data[out.size++] = 0;
            out.data[out.size++] = (byte) 0xFF;
            out.data[out.size++] = (byte) 0xFF;
        } else {
            alignToByte();
        }
    }

    /** The Adler-32 of everything compressed so far. */
    int adler() {
        return counter.adler();
    }

    /**
     * The hot loop: table look-ups into a 64-bit bit buffer. With fewer than 8 bits pending, three
     * codes of at most 15 bits fit, so after every three bytes the buffer is stored whole (8 bytes,
     * unconditionally) and the pointer moves on by the complete bytes: no branch on the data.
     */
    private void emit(byte[] data, int start, int end) {
        int[] table = literals.packed;
        long[] matches = matchCodes;
        byte[] o = out.data;
        int p = out.size;
        long bits = bitBuffer;
        int count = bitCount;
        while (count >= 8) {
            o[p++] = (byte) bits;
            bits >>>= 8;
            count -= 8;
        }
        int i = start;
        if (i < end) {
            int e = table[data[i++] & 0xFF];
            bits |= (long) (e & 0xFFFF) << count;
            count += e >>> 16;
            LONG_LE.set(o, p, bits);
            int bytes = count >>> 3;
            p += bytes;
            bits >>>= bytes << 3;
            count &= 7;
        }
        while (i + 8 <= end) {
            long w = (long) LONG_LE.get(data, i);
            byte previous = data[i - 1];
            long run = (previous & 0xFFL) * ONES;
            if (w == run) {
                int j = SymbolCounter.runEnd(data, i, Math.min(end, i + MAX_MATCH), run);
                long match = matches[j - i];
                bits |= (match & 0xFFFFFFFFL) << count;
                count += (int) (match >>> 32);
                LONG_LE.set(o, p, bits);
                int bytes = count >>> 3;
                p += bytes;
                bits >>>= bytes << 3;
                count &= 7;
                i = j;
                continue;
            }
            int e1 = table[(int) w & 0xFF];
            int e2 = table[(int) (w >>> 8) & 0xFF];
            int e3 = table[(int) (w >>> 16) & 0xFF];
            int l1 = e1 >>> 16;
            int l12 = l1 + (e2 >>> 16);
            // The three codes are joined first, off the loop-carried chain through count.
            bits |= ((e1 & 0xFFFF) | (long) (e2 & 0xFFFF) << l1 | (long) (e3 & 0xFFFF) << l12) << count;
            count += l12 + (e3 >>> 16);
            LONG_LE.set(o, p, bits);
            int bytes = count >>> 3;
            p += bytes;
            bits >>>= bytes << 3;
            count &= 7;
            e1 = table[(int) (w >>> 24) & 0xFF];
            e2 = table[(int) (w >>> 32) & 0xFF];
            e3 = table[(int) (w >>> 40) & 0xFF];
            l1 = e1 >>> 16;
            l12 = l1 + (e2 >>> 16);
            bits |= ((e1 & 0xFFFF) | (long) (e2 & 0xFFFF) << l1 | (long) (e3 & 0xFFFF) << l12) << count;
            count += l12 + (e3 >>> 16);
            LONG_LE.set(o, p, bits);
            bytes = count >>> 3;
            p += bytes;
            bits >>>= bytes << 3;
            count &= 7;
            e1 = table[(int) (w >>> 48) & 0xFF];
            e2 = table[(int) (w >>> 56)];
            l1 = e1 >>> 16;
            bits |= ((e1 & 0xFFFF) | (long) (e2 & 0xFFFF) << l1) << count;
            count += l1 + (e2 >>> 16);
            LONG_LE.set(o, p, bits);
            bytes = count >>> 3;
            p += bytes;
            bits >>>= bytes << 3;
            count &= 7;
            i += 8;
        }
        for (; i < end; i++) {
            int e = table[data[i] & 0xFF];
            bits |= (long) (e & 0xFFFF) << count;
            count += e >>> 16;
            LONG_LE.set(o, p, bits);
            int bytes = count >>> 3;
            p += bytes;
            bits >>>= bytes << 3;
            count &= 7;
        }
        out.size = p;
        bitBuffer = bits;
        bitCount = count;
    }

    /** Stored blocks (at most 65535 bytes each) for data that Huffman coding would not shrink. */
    private void stored(byte[] data, int start, int end, boolean last) {
        int i = start;
        do {
            int length = Math.min(65_535, end - i);
            boolean lastBlock = last && i + length == end;
            writeBits(lastBlock ? 1 : 0, 1);
            writeBits(0, 2);
            alignToByte();
            out.ensure(length + 4);
            byte[] o = out.data;
            int p = out.size;
            o[p] = (byte) length;
            o[p + 1] = (byte) (length >>> 8);
            o[p + 2] = (byte) ~length;
            o[p + 3] = (byte) (~length >>> 8);
            System.arraycopy(data, i, o, p + 4, length);
            out.size = p + 4 + length;
            i += length;
        } while (i < end);
    }

    // The block header: HLIT, HDIST, HCLEN, then the code lengths of the literal/length codes and of
    // two distance codes (only distance 1 is used, but zlib's inflate wants a complete code),
    // run-length coded with symbols 16-18 (RFC 1951 3.2.7).
    private final int[] headerSymbols = new int[286 + 2];
    private final int[] headerExtras = new int[286 + 2];
    private int headerCount;
    private int literalCodes;

    /** Builds the header's code-length code; returns the header's size in bits. */
    private long prepareCodeLengths() {
        int[] lengthFrequencies = lengthCodes.frequencies;
        Arrays.fill(lengthFrequencies, 0);
        literalCodes = 286;
        while (literalCodes > 257 && literals.lengths[literalCodes - 1] == 0) {
            literalCodes--;
        }
        int count = runLengths(literals.lengths, literalCodes, 0, lengthFrequencies);
        headerCount = runLengths(new int[] {1, 1}, 2, count, lengthFrequencies);
        lengthCodes.build();
        long bits = 5 + 5 + 4 + 19 * 3;
        for (int i = 0; i < headerCount; i++) {
            int symbol = headerSymbols[i];
            bits += lengthCodes.lengths[symbol] + (symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0);
        }
        return bits;
    }

    private void writeCodeLengths() {
        writeBits(literalCodes - 257, 5); // HLIT
        writeBits(2 - 1, 5); // HDIST: two distance codes
        int[] ordered = new int[19];
        int used = 4;
        for (int i = 0; i < 19; i++) {
            ordered[i] = lengthCodes.lengths[DeflateFormat.CODE_LENGTH_ORDER[i]];
            if (ordered[i] != 0) {
                used = Math.max(used, i + 1);
            }
        }
        writeBits(used - 4, 4); // HCLEN
        for (int i = 0; i < used; i++) {
            writeBits(ordered[i], 3);
        }
        for (int i = 0; i < headerCount; i++) {
            int symbol = headerSymbols[i];
            writeBits(lengthCodes.codes[symbol], lengthCodes.lengths[symbol]);
            switch (symbol) {
                case 16 -> writeBits(headerExtras[i], 2);
                case 17 -> writeBits(headerExtras[i], 3);
                case 18 -> writeBits(headerExtras[i], 7);
                default -> { }
            }
        }
    }

    private int runLengths(int[] lengths, int n, int count, int[] frequencies) {
        int i = 0;
        while (i < n) {
            int value = lengths[i];
            int run = 1;
            while (i + run < n && lengths[i + run] == value) {
                run++;
            }
            if (value == 0 && run >= 3) {
                int take = Math.min(run, 138);
                int symbol = take >= 11 ? 18 : 17;
                headerSymbols[count] = symbol;
                headerExtras[count++] = take - (symbol == 18 ? 11 : 3);
                frequencies[symbol]++;
                i += take;
            } else if (value != 0 && run >= 4) {
                headerSymbols[count++] = value;
                frequencies[value]++;
                int take = Math.min(run - 1, 6);
                headerSymbols[count] = 16;
                headerExtras[count++] = take - 3;
                frequencies[16]++;
                i += 1 + take;
            } else {
                headerSymbols[count++] = value;
                frequencies[value]++;
                i++;
            }
        }
        return count;
    }

    private void writeBits(int value, int length) {
        bitBuffer |= (long) value << bitCount;
        bitCount += length;
        if (bitCount >= 32) {
            out.ensure(4);
            INT_LE.set(out.data, out.size, (int) bitBuffer);
            out.size += 4;
            bitBuffer >>>= 32;
            bitCount -= 32;
        }
    }

    private void alignToByte() {
        out.ensure(8);
        while (bitCount > 0) {
            out.data[out.size++] = (byte) bitBuffer;
            bitBuffer >>>= 8;
            bitCount -= 8;
        }
        bitBuffer = 0;
        bitCount = 0;
    }
}
