package dev.imageservice.processing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A PNG encoder for 8- and 16-bit images of 1 to 4 channels, written for speed rather than size.
 *
 * <p>Why our own code and not OpenCV's imencode or a library: PNG encoding was ~65% of a request's
 * CPU. Every row gets the SUB filter (one subtraction per byte, no per-row trial of five filters)
 * and the filtered bytes are Huffman-coded with a fresh table per block of at most 128 KiB, with no
 * LZ77 matching: on photos LZ77 finds almost nothing after filtering, so this is within a few
 * percent of OpenCV's size (zlib level 1, RLE strategy) at a fraction of the CPU. The Huffman coder
 * is ours rather than {@link java.util.zip.Deflater}'s {@code HUFFMAN_ONLY} because zlib's spends
 * most of its time in its generic match/tally machinery, and PNGJ (the maintained-looking Java PNG
 * library; last release 2015) goes through Deflater too and copies every row into its own line
 * objects. docs/PERFORMANCE-codecs.md has the measurements.
 *
 * <p>The output is one zlib stream (no dictionary, no back references) in IDAT chunks of at most
 * 1 MiB, plus IHDR and IEND; colour type gray, gray+alpha, RGB or RGBA by channel count.
 *
 * <p>Thread-safe and stateless: all buffers belong to one call.
 */
public final class PngEncoder implements ImageEncoder {

    /** The order in which a Mat holds the colour channels of a 3- or 4-channel image. */
    public enum ChannelOrder {
        /**
         * OpenCV's order, B,G,R(,A): written to PNG as R,G,B(,A), the image imencode would write.
         */
        BGR,
        /**
         * R,G,B(,A): the Mat's samples are written in the order stored. Given a Mat as OpenCV decodes
         * it, that is the image with red and blue swapped, which is how this encoder absorbs
         * {@link SwapChannels} at no cost.
         */
        RGB
    }

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final int IDAT = 0x49444154;
    private static final int IHDR = 0x49484452;
    private static final int IEND = 0x49454E44;
    /** Raw bytes per deflate block: small enough to stay in L2 cache between the passes over it. */
    private static final int BLOCK_BYTES = 128 * 1024;
    /** A block's worst case: every byte a 15-bit code, plus the block header (<= ~300 bytes). */
    private static final int MAX_BLOCK_OUTPUT = BLOCK_BYTES * 15 / 8 + 1024;
    private static final int MAX_CHUNK_BYTES = 1 << 20;
    private static final int SUB_FILTER = 1;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ChannelOrder order;

    public PngEncoder(ChannelOrder order) {
        this.order = order;
    }

    public ChannelOrder order() {
        return order;
    }

    @Override
    public String contentType() {
        return "image/png";
    }

    /** The channel swap is just a different reading of the Mat's bytes here, so it costs nothing. */
    @Override
    public Optional<ImageEncoder> absorb(ImageOperation operation) {
        if (operation instanceof SwapChannels) {
            return Optional.of(new PngEncoder(order == ChannelOrder.BGR ? ChannelOrder.RGB : ChannelOrder.BGR));
        }
        return Optional.empty();
    }

    @Override
    public byte[] encode(Mat image) {
        int depth = CvType.depth(image.type());
        int channels = image.channels();
        if ((depth != CvType.CV_8U && depth != CvType.CV_16U) || channels < 1 || channels > 4 || image.dims() != 2) {
            throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL,
                    "the PNG encoder cannot write a " + CvType.typeToString(image.type()) + " image");
        }
        int width = image.cols();
        int height = image.rows();
        if (width < 1 || height < 1) {
            throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL,
                    "the PNG encoder cannot write an empty image (" + width + "x" + height + ")");
        }
        // One bulk copy out of native memory; a non-continuous Mat (a view) is rare enough to clone.
        Mat continuous = image.isContinuous() ? image : image.clone();
        try {
            int samples = Math.multiplyExact(Math.multiplyExact(width, height), channels);
            if (depth == CvType.CV_8U) {
                byte[] pixels = new byte[samples];
                continuous.get(0, 0, pixels);
                return new Writer(width, height, channels, 8, permutation(channels)).write(pixels, null);
            }
            short[] pixels = new short[samples];
            continuous.get(0, 0, pixels);
            return new Writer(width, height, channels, 16, permutation(channels)).write(null, pixels);
        } finally {
            if (continuous != image) {
                continuous.release();
            }
        }
    }

    /** For each PNG channel, the Mat channel it comes from; null when the order is as stored. */
    private int[] permutation(int channels) {
        if (order == ChannelOrder.RGB || channels < 3) {
            return null;
        }
        return channels == 3 ? new int[] {2, 1, 0} : new int[] {2, 1, 0, 3};
    }

    /** The state of one encoding: the output array, the bit buffer and the open IDAT chunk. */
    private static final class Writer {
        private final int width;
        private final int height;
        private final int channels;
        private final int bitDepth;
        private final int[] permutation;
        private final int rowBytes;
        private final int bytesPerPixel;

        private byte[] out;
        private int pos;
        private long bitBuffer;
        private int bitCount;
        private int chunkStart;
        private final CRC32 crc = new CRC32();
        private final Adler32 adler = new Adler32();
        private final Huffman literals = new Huffman(257, 15);
        private final Huffman lengthCodes = new Huffman(19, 7);
        /** Byte counts of the strip being filtered, in four tables so increments do not wait on each other. */
        private final int[][] counts = new int[4][256];

        Writer(int width, int height, int channels, int bitDepth, int[] permutation) {
            this.width = width;
            this.height = height;
            this.channels = channels;
            this.bitDepth = bitDepth;
            this.permutation = permutation;
            this.bytesPerPixel = channels * bitDepth / 8;
            this.rowBytes = Math.multiplyExact(width, bytesPerPixel);
        }

        byte[] write(byte[] pixels8, short[] pixels16) {
            long filteredBytes = (long) height * (rowBytes + 1);
            // Photos filter and Huffman-code to ~60-70% of their raw size; growing costs one copy.
            out = new byte[(int) Math.min(Integer.MAX_VALUE - 16, filteredBytes * 3 / 4 + 4096)];
            System.arraycopy(SIGNATURE, 0, out, 0, SIGNATURE.length);
            pos = SIGNATURE.length;
            writeHeader();

            openChunk();
            writeBits(0x0178, 16); // zlib header: deflate, 32 KiB window, fastest; a multiple of 31
            int rowsPerStrip = Math.max(1, BLOCK_BYTES / (rowBytes + 1));
            byte[] strip = new byte[rowsPerStrip * (rowBytes + 1)];
            for (int y = 0; y < height; y += rowsPerStrip) {
                int rows = Math.min(rowsPerStrip, height - y);
                int length = rows * (rowBytes + 1);
                boolean counted = false;
                if (pixels8 != null && permutation == null && length <= BLOCK_BYTES) {
                    filterAndCount8(pixels8, y, rows, strip);
                    counted = true;
                } else if (pixels8 != null) {
                    filter8(pixels8, y, rows, strip);
                } else {
                    filter16(pixels16, y, rows, strip);
                }
                adler.update(strip, 0, length);
                boolean lastStrip = y + rows >= height;
                // A very wide row makes a long strip: code it in blocks of BLOCK_BYTES all the same,
                // so that every block's worst case fits the chunk bound.
                for (int start = 0; start < length; start += BLOCK_BYTES) {
                    int end = Math.min(length, start + BLOCK_BYTES);
                    writeBlock(strip, start, end, lastStrip && end == length, counted);
                }
            }
            alignToByte();
            int checksum = (int) adler.getValue();
            ensure(4);
            out[pos++] = (byte) (checksum >>> 24);
            out[pos++] = (byte) (checksum >>> 16);
            out[pos++] = (byte) (checksum >>> 8);
            out[pos++] = (byte) checksum;
            closeChunk();

            ensure(12);
            chunk(IEND, 0);
            return pos == out.length ? out : Arrays.copyOf(out, pos);
        }

        private void writeHeader() {
            ensure(25);
            int start = pos;
            putIntBE(13);
            putIntBE(IHDR);
            putIntBE(width);
            putIntBE(height);
            out[pos++] = (byte) bitDepth;
            out[pos++] = (byte) switch (channels) {
                case 1 -> 0; // gray
                case 2 -> 4; // gray + alpha
                case 3 -> 2; // RGB
                default -> 6; // RGBA
            };
            out[pos++] = 0; // deflate
            out[pos++] = 0; // adaptive filtering (per-row filter byte)
            out[pos++] = 0; // not interlaced
            crc.reset();
            crc.update(out, start + 4, pos - start - 4);
            putIntBE((int) crc.getValue());
        }

        /** Writes a chunk with no data (IEND). */
        private void chunk(int type, int length) {
            int start = pos;
            putIntBE(length);
            putIntBE(type);
            crc.reset();
            crc.update(out, start + 4, 4);
            putIntBE((int) crc.getValue());
        }

        private void openChunk() {
            ensure(8);
            chunkStart = pos;
            pos += 8; // length and type are written when the chunk is closed
        }

        private void closeChunk() {
            int length = pos - chunkStart - 8;
            int end = pos;
            pos = chunkStart;
            putIntBE(length);
            putIntBE(IDAT);
            pos = end;
            crc.reset();
            crc.update(out, chunkStart + 4, length + 4);
            ensure(4);
            putIntBE((int) crc.getValue());
        }

        /**
         * The common case (8-bit, stored order) in one pass: SUB-filters eight bytes at a time in a
         * long (a bytewise subtraction that keeps borrows inside each byte) and counts the filtered
         * bytes for the block's Huffman table while they are still in a register.
         */
        private void filterAndCount8(byte[] pixels, int firstRow, int rows, byte[] strip) {
            int[] h0 = counts[0];
            int[] h1 = counts[1];
            int[] h2 = counts[2];
            int[] h3 = counts[3];
            for (int[] h : counts) {
                Arrays.fill(h, 0);
            }
            int bpp = bytesPerPixel;
            int o = 0;
            for (int r = 0; r < rows; r++) {
                int s = (firstRow + r) * rowBytes;
                strip[o++] = SUB_FILTER;
                int i = 0;
                for (; i < bpp && i < rowBytes; i++) {
                    byte value = pixels[s + i];
                    strip[o + i] = value;
                    h0[value & 0xFF]++;
                }
                for (; i + 8 <= rowBytes; i += 8) {
                    long x = (long) LONG_LE.get(pixels, s + i);
                    long y = (long) LONG_LE.get(pixels, s + i - bpp);
                    long d = ((x | HIGH_BITS) - (y & ~HIGH_BITS)) ^ ((x ^ ~y) & HIGH_BITS);
                    LONG_LE.set(strip, o + i, d);
                    h0[(int) d & 0xFF]++;
                    h1[(int) (d >>> 8) & 0xFF]++;
                    h2[(int) (d >>> 16) & 0xFF]++;
                    h3[(int) (d >>> 24) & 0xFF]++;
                    h0[(int) (d >>> 32) & 0xFF]++;
                    h1[(int) (d >>> 40) & 0xFF]++;
                    h2[(int) (d >>> 48) & 0xFF]++;
                    h3[(int) (d >>> 56)]++;
                }
                for (; i < rowBytes; i++) {
                    byte value = (byte) (pixels[s + i] - pixels[s + i - bpp]);
                    strip[o + i] = value;
                    h0[value & 0xFF]++;
                }
                o += rowBytes;
            }
            h0[SUB_FILTER] += rows;
        }

        /**
         * SUB filter for 8-bit samples: each byte minus the same channel's byte of the pixel to its
         * left. With a permutation, the channels are reordered in the same pass.
         */
        private void filter8(byte[] pixels, int firstRow, int rows, byte[] strip) {
            int bpp = bytesPerPixel;
            int o = 0;
            for (int r = 0; r < rows; r++) {
                int s = (firstRow + r) * rowBytes;
                strip[o++] = SUB_FILTER;
                if (permutation == null) {
                    for (int i = 0; i < bpp; i++) {
                        strip[o + i] = pixels[s + i];
                    }
                    for (int i = bpp; i < rowBytes; i++) {
                        strip[o + i] = (byte) (pixels[s + i] - pixels[s + i - bpp]);
                    }
                } else {
                    int[] p = permutation;
                    for (int c = 0; c < bpp; c++) {
                        strip[o + c] = pixels[s + p[c]];
                    }
                    if (bpp == 3) {
                        for (int i = 3; i < rowBytes; i += 3) {
                            strip[o + i] = (byte) (pixels[s + i + 2] - pixels[s + i - 1]);
                            strip[o + i + 1] = (byte) (pixels[s + i + 1] - pixels[s + i - 2]);
                            strip[o + i + 2] = (byte) (pixels[s + i] - pixels[s + i - 3]);
                        }
                    } else {
                        for (int i = 4; i < rowBytes; i += 4) {
                            strip[o + i] = (byte) (pixels[s + i + 2] - pixels[s + i - 2]);
                            strip[o + i + 1] = (byte) (pixels[s + i + 1] - pixels[s + i - 3]);
                            strip[o + i + 2] = (byte) (pixels[s + i] - pixels[s + i - 4]);
                            strip[o + i + 3] = (byte) (pixels[s + i + 3] - pixels[s + i - 1]);
                        }
                    }
                }
                o += rowBytes;
            }
        }

        /**
         * SUB filter for 16-bit samples. PNG stores them big-endian; the filter works on bytes, so
         * the high and low bytes are each subtracted from their counterpart in the pixel to the left
         * (not the byte of the 16-bit difference, which would carry a borrow).
         */
        private void filter16(short[] pixels, int firstRow, int rows, byte[] strip) {
            int samplesPerRow = width * channels;
            int o = 0;
            for (int r = 0; r < rows; r++) {
                int s = (firstRow + r) * samplesPerRow;
                strip[o++] = SUB_FILTER;
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < channels; c++) {
                        int from = permutation == null ? c : permutation[c];
                        int value = pixels[s + x * channels + from];
                        int left = x == 0 ? 0 : pixels[s + (x - 1) * channels + from];
                        strip[o++] = (byte) ((value >> 8) - (left >> 8));
                        strip[o++] = (byte) (value - left);
                    }
                }
            }
        }

        /** One deflate block with dynamic Huffman codes: literals only, so no LZ77 matches. */
        private void writeBlock(byte[] data, int start, int end, boolean last, boolean counted) {
            int[] frequencies = literals.frequencies;
            if (counted) {
                for (int s = 0; s < 256; s++) {
                    frequencies[s] = counts[0][s] + counts[1][s] + counts[2][s] + counts[3][s];
                }
            } else {
                countBytes(data, start, end, frequencies);
            }
            frequencies[256] = 1; // end of block
            literals.build();

            ensure(MAX_BLOCK_OUTPUT + 16);
            if (pos - chunkStart - 8 > MAX_CHUNK_BYTES - MAX_BLOCK_OUTPUT - 16) {
                // Bits still in the buffer just go into the next chunk: IDATs split the zlib
                // stream at any byte boundary.
                closeChunk();
                openChunk();
                ensure(MAX_BLOCK_OUTPUT + 16);
            }
            writeBits(last ? 1 : 0, 1);
            writeBits(2, 2); // dynamic Huffman codes
            writeCodeLengths();
            writeLiterals(data, start, end);
        }

        private static void countBytes(byte[] data, int start, int end, int[] frequencies) {
            // Four tables, so consecutive equal bytes do not wait on each other's increments.
            int[] a = new int[256];
            int[] b = new int[256];
            int[] c = new int[256];
            int[] d = new int[256];
            int i = start;
            for (; i + 3 < end; i += 4) {
                a[data[i] & 0xFF]++;
                b[data[i + 1] & 0xFF]++;
                c[data[i + 2] & 0xFF]++;
                d[data[i + 3] & 0xFF]++;
            }
            for (; i < end; i++) {
                a[data[i] & 0xFF]++;
            }
            for (int s = 0; s < 256; s++) {
                frequencies[s] = a[s] + b[s] + c[s] + d[s];
            }
        }

        /**
         * The block header: HLIT, HDIST, HCLEN, then the code lengths of the 257 literal/end codes
         * and of two distance codes (none is used, but zlib's inflate wants a complete code, as zlib's
         * deflate always sends), run-length coded with symbols 16-18.
         */
        private void writeCodeLengths() {
            int[] symbols = new int[257 + 2];
            int[] extras = new int[257 + 2];
            int[] lengthFrequencies = lengthCodes.frequencies;
            Arrays.fill(lengthFrequencies, 0);
            int count = runLengths(literals.lengths, 257, symbols, extras, 0, lengthFrequencies);
            count = runLengths(new int[] {1, 1}, 2, symbols, extras, count, lengthFrequencies);
            lengthCodes.build();

            writeBits(257 - 257, 5); // HLIT: literal/length codes - 257
            writeBits(2 - 1, 5); // HDIST: distance codes - 1
            int[] orderedLengths = new int[19];
            int used = 4;
            for (int i = 0; i < 19; i++) {
                orderedLengths[i] = lengthCodes.lengths[CODE_LENGTH_ORDER[i]];
                if (orderedLengths[i] != 0) {
                    used = Math.max(used, i + 1);
                }
            }
            writeBits(used - 4, 4); // HCLEN
            for (int i = 0; i < used; i++) {
                writeBits(orderedLengths[i], 3);
            }
            for (int i = 0; i < count; i++) {
                int symbol = symbols[i];
                writeBits(lengthCodes.codes[symbol], lengthCodes.lengths[symbol]);
                switch (symbol) {
                    case 16 -> writeBits(extras[i], 2);
                    case 17 -> writeBits(extras[i], 3);
                    case 18 -> writeBits(extras[i], 7);
                    default -> { }
                }
            }
        }

        private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

        /** Run-length codes a sequence of code lengths (RFC 1951 3.2.7); returns the new count. */
        private static int runLengths(int[] lengths, int n, int[] symbols, int[] extras, int count, int[] frequencies) {
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
                    symbols[count] = symbol;
                    extras[count++] = take - (symbol == 18 ? 11 : 3);
                    frequencies[symbol]++;
                    i += take;
                } else if (value != 0 && run >= 4) {
                    symbols[count++] = value;
                    frequencies[value]++;
                    int take = Math.min(run - 1, 6);
                    symbols[count] = 16;
                    extras[count++] = take - 3;
                    frequencies[16]++;
                    i += 1 + take;
                } else {
                    symbols[count++] = value;
                    frequencies[value]++;
                    i++;
                }
            }
            return count;
        }

        /**
         * The hot loop: one table look-up per byte into a 64-bit bit buffer. With fewer than 8 bits
         * pending, three codes of at most 15 bits fit, so after every three bytes the buffer is
         * stored whole (8 bytes, unconditionally) and the pointer moves on by the complete bytes:
         * no branch on the data.
         */
        private void writeLiterals(byte[] data, int start, int end) {
            int[] table = literals.packed;
            byte[] o = out;
            int p = pos;
            long bits = bitBuffer;
            int count = bitCount;
            while (count >= 8) {
                o[p++] = (byte) bits;
                bits >>>= 8;
                count -= 8;
            }
            int i = start;
            for (; i + 2 < end; i += 3) {
                int e1 = table[data[i] & 0xFF];
                int e2 = table[data[i + 1] & 0xFF];
                int e3 = table[data[i + 2] & 0xFF];
                // The three codes are joined first, off the loop-carried chain through count.
                int l1 = e1 >>> 16;
                int l12 = l1 + (e2 >>> 16);
                long codes = (e1 & 0xFFFF) | (long) (e2 & 0xFFFF) << l1 | (long) (e3 & 0xFFFF) << l12;
                bits |= codes << count;
                count += l12 + (e3 >>> 16);
                LONG_LE.set(o, p, bits);
                int bytes = count >>> 3;
                p += bytes;
                bits >>>= bytes << 3;
                count &= 7;
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
            pos = p;
            bitBuffer = bits;
            bitCount = count;
            writeBits(literals.codes[256], literals.lengths[256]); // end of block
        }

        private void writeBits(int value, int length) {
            bitBuffer |= (long) value << bitCount;
            bitCount += length;
            if (bitCount >= 32) {
                ensure(4);
                INT_LE.set(out, pos, (int) bitBuffer);
                pos += 4;
                bitBuffer >>>= 32;
                bitCount -= 32;
            }
        }

        private void alignToByte() {
            ensure(8);
            while (bitCount > 0) {
                out[pos++] = (byte) bitBuffer;
                bitBuffer >>>= 8;
                bitCount -= 8;
            }
            bitBuffer = 0;
            bitCount = 0;
        }

        private void putIntBE(int value) {
            out[pos++] = (byte) (value >>> 24);
            out[pos++] = (byte) (value >>> 16);
            out[pos++] = (byte) (value >>> 8);
            out[pos++] = (byte) value;
        }

        private void ensure(int bytes) {
            // +8: the bit writer stores whole longs, so keep room for one beyond what is needed.
            long needed = (long) pos + bytes + 8;
            if (needed > out.length) {
                if (needed > Integer.MAX_VALUE - 16) {
                    throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL,
                            "the PNG would be larger than 2 GiB");
                }
                out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, out.length * 3L / 2)));
            }
        }
    }

    /**
     * Length-limited canonical Huffman codes for one alphabet: code lengths by the in-place
     * algorithm of Moffat and Katajainen, then capped at {@code maxLength} the way miniz does
     * (move leaves up from the deepest level until the Kraft sum is exact again).
     */
    private static final class Huffman {
        final int[] frequencies;
        final int[] lengths;
        /** Codes with their bits reversed, as deflate sends Huffman codes from the first bit. */
        final int[] codes;
        /** code | length << 16, the hot loop's single look-up. */
        final int[] packed;
        private final int maxLength;
        private final long[] sorted;
        private final int[] depths;

        Huffman(int symbols, int maxLength) {
            this.frequencies = new int[symbols];
            this.lengths = new int[symbols];
            this.codes = new int[symbols];
            this.packed = new int[symbols];
            this.maxLength = maxLength;
            this.sorted = new long[symbols];
            this.depths = new int[symbols];
        }

        void build() {
            int n = frequencies.length;
            Arrays.fill(lengths, 0);
            int used = 0;
            for (int s = 0; s < n; s++) {
                if (frequencies[s] != 0) {
                    sorted[used++] = (long) frequencies[s] << 16 | s;
                }
            }
            if (used < 2) {
                // A code needs two symbols to be complete; add one that is never sent.
                int extra = used == 1 && (sorted[0] & 0xFFFF) == 0 ? 1 : 0;
                sorted[used++] = extra;
                if (used < 2) {
                    sorted[used++] = 1;
                }
            }
            Arrays.sort(sorted, 0, used);
            for (int i = 0; i < used; i++) {
                depths[i] = (int) (sorted[i] >>> 16);
            }
            minimumRedundancy(depths, used);

            int[] perLength = new int[Math.max(maxLength, 64) + 1];
            for (int i = 0; i < used; i++) {
                perLength[Math.min(depths[i], perLength.length - 1)]++;
            }
            limitLengths(perLength, used);
            // Shortest codes to the most frequent symbols (sorted ascending, so from the end).
            int j = used;
            for (int length = 1; length <= maxLength; length++) {
                for (int k = perLength[length]; k > 0; k--) {
                    lengths[(int) (sorted[--j] & 0xFFFF)] = length;
                }
            }
            int[] next = new int[maxLength + 2];
            int[] lengthCount = new int[maxLength + 1];
            for (int s = 0; s < n; s++) {
                lengthCount[lengths[s]]++;
            }
            lengthCount[0] = 0;
            int code = 0;
            for (int length = 1; length <= maxLength; length++) {
                code = (code + lengthCount[length - 1]) << 1;
                next[length] = code;
            }
            for (int s = 0; s < n; s++) {
                int length = lengths[s];
                int reversed = 0;
                if (length != 0) {
                    reversed = Integer.reverse(next[length]++) >>> (32 - length);
                }
                codes[s] = reversed;
                packed[s] = reversed | length << 16;
            }
        }

        /** Moffat and Katajainen, "In-place calculation of minimum-redundancy codes" (1995). */
        private static void minimumRedundancy(int[] a, int n) {
            a[0] += a[1];
            int root = 0;
            int leaf = 2;
            for (int next = 1; next < n - 1; next++) {
                if (leaf >= n || a[root] < a[leaf]) {
                    a[next] = a[root];
                    a[root++] = next;
                } else {
                    a[next] = a[leaf++];
                }
                if (leaf >= n || (root < next && a[root] < a[leaf])) {
                    a[next] += a[root];
                    a[root++] = next;
                } else {
                    a[next] += a[leaf++];
                }
            }
            a[n - 2] = 0;
            for (int next = n - 3; next >= 0; next--) {
                a[next] = a[a[next]] + 1;
            }
            int available = 1;
            int usedNodes = 0;
            int depth = 0;
            int root2 = n - 2;
            int next = n - 1;
            while (available > 0) {
                while (root2 >= 0 && a[root2] == depth) {
                    usedNodes++;
                    root2--;
                }
                while (available > usedNodes) {
                    a[next--] = depth;
                    available--;
                }
                available = 2 * usedNodes;
                depth++;
                usedNodes = 0;
            }
        }

        private void limitLengths(int[] perLength, int used) {
            for (int i = maxLength + 1; i < perLength.length; i++) {
                perLength[maxLength] += perLength[i];
                perLength[i] = 0;
            }
            long total = 0;
            for (int i = maxLength; i > 0; i--) {
                total += (long) perLength[i] << (maxLength - i);
            }
            while (total != 1L << maxLength) {
                perLength[maxLength]--;
                for (int i = maxLength - 1; i > 0; i--) {
                    if (perLength[i] != 0) {
                        perLength[i]--;
                        perLength[i + 1] += 2;
                        break;
                    }
                }
                total--;
            }
        }
    }
}
