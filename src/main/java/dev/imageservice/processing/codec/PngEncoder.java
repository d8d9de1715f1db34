package dev.imageservice.processing.codec;

import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.operation.SwapChannels;
import java.util.Optional;
import java.util.zip.CRC32;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A PNG encoder for 8- and 16-bit images of 1 to 4 channels: the PNG framing (signature, IHDR, IDAT
 * chunks of at most 1 MiB, or one per part for a large image, IEND) around {@link PngFilters} (a filter chosen per row, as libpng
 * chooses) and {@link DeflateCoder} (fpnge-style: a Huffman table fitted to each block, run-only
 * matches, codes emitted in 64-bit words).
 *
 * <p>Why our own code and not OpenCV's imencode or a library: PNG encoding was ~65% of a request's
 * CPU, most of it in zlib's generic match machinery; {@link java.util.zip.Deflater} is that same
 * zlib, and PNGJ (last release 2015) goes through it too. docs/PERFORMANCE.md has the measurements.
 *
 * <p>Works in strips of rows: it copies ~128 KiB of rows at a time out of the Mat's native memory,
 * filters and compresses them while they are in cache, so besides the output it holds only a few
 * strip buffers ({@link #workingBytes}). Thread-safe and stateless: all buffers belong to one call.
 * A large image (over 2 MiB of filtered rows) is always coded as independent deflate parts, one IDAT
 * chunk each ({@link ParallelRows}), in parallel when the server has threads it does not need right
 * now ({@link SpareThreads}), else one after the other: the same input gives the same PNG byte for
 * byte whatever the load, so answers can be compared, cached and given stable ETags by their bytes.
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
    private static final int STRIP_BYTES = RowCoder.STRIP_BYTES;
    private static final int MAX_CHUNK_BYTES = 1 << 20;

    private final ChannelOrder order;
    private final SpareThreads spare;

    public PngEncoder(ChannelOrder order) {
        this(order, SpareThreads.NONE);
    }

    /**
     * @param spare threads a large image may borrow while the server has idle workers: its rows are
     *              then coded in independent parts in parallel ({@link ParallelRows})
     */
    public PngEncoder(ChannelOrder order, SpareThreads spare) {
        this.order = order;
        this.spare = java.util.Objects.requireNonNull(spare, "spare");
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
            return Optional.of(new PngEncoder(order == ChannelOrder.BGR ? ChannelOrder.RGB : ChannelOrder.BGR, spare));
        }
        return Optional.empty();
    }

    /** An 8-bit image whose output buffer (3/4 of its filtered rows) is one the thread keeps ({@link ReusedOutputBytes}). */
    @Override
    public boolean encodesInKeptBuffer(int width, int height, int channels) {
        long filtered = ((long) width * channels + 1) * height;
        return ReusedOutputBytes.keeps(filtered * 3 / 4 + 4096);
    }

    /**
     * An upper bound of the heap bytes one encode allocates (so also of what it holds at once) for
     * an image of this shape: the strip buffers, the output array sized for 3/4 of the filtered
     * data, one growth by half if the image does not compress that well (a stored block exceeds
     * its input by 5 bytes in 65535), and the final copy to the exact size.
     */
    public static long workingBytes(int width, int height, int channels, int bitDepth) {
        long rowBytes = (long) width * channels * bitDepth / 8;
        long filtered = (rowBytes + 1) * height;
        long strip = Math.max(STRIP_BYTES, rowBytes + 1);
        long largestOutput = filtered + filtered / 8192 + 4096;
        // Coded in parallel parts: each lent thread has strip buffers of its own; the parts' outputs
        // (3/4 of the filtered bytes, 9/8 after growth) and the exact final array fit the same terms.
        long helpers = ParallelRows.parts(height, (int) Math.min(Integer.MAX_VALUE - 1, rowBytes)) > 1
                ? (long) ParallelRows.MAX_HELPERS * (4 * strip + rowBytes) : 0;
        return 4 * strip + rowBytes + filtered * 3 / 4 + filtered * 9 / 8 + largestOutput + 64 * 1024 + helpers;
    }

    @Override
    public byte[] encode(Mat image) {
        byte[][] exact = new byte[1][];
        encodeInto(image, (bytes, offset, length) -> exact[0] = java.util.Arrays.copyOfRange(bytes, offset, offset + length));
        return exact[0];
    }

    /** Writes the PNG into {@code sink} from this thread's reused buffer ({@link ReusedOutputBytes}), in one write. */
    @Override
    public void encodeInto(Mat image, ByteSink sink) {
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
        // Strips are copied out of native memory row by row; a non-continuous Mat (a view) is rare enough to clone.
        Mat continuous = image.isContinuous() ? image : image.clone();
        try {
            int bitDepth = depth == CvType.CV_8U ? 8 : 16;
            new Writer(continuous, width, height, channels, bitDepth, permutation(channels), spare).write(sink);
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

    /** One encoding: reads strips of rows, filters them, hands them to the deflate coder inside IDAT chunks. */
    private static final class Writer {
        private final int width;
        private final int height;
        private final int channels;
        private final int bitDepth;
        private final RowCoder rows;
        private final SpareThreads spare;
        private OutputBytes out;
        private final CRC32 crc = new CRC32();
        private int chunkStart;

        Writer(Mat image, int width, int height, int channels, int bitDepth, int[] permutation, SpareThreads spare) {
            this.width = width;
            this.height = height;
            this.channels = channels;
            this.bitDepth = bitDepth;
            this.rows = new RowCoder(image, width, height, channels, bitDepth, permutation);
            this.spare = spare;
        }

        void write(ByteSink sink) {
            int parts = ParallelRows.parts(height, rows.rowBytes());
            int helpers = parts > 1 ? spare.borrow(Math.min(parts - 1, ParallelRows.MAX_HELPERS)) : 0;
            if (helpers > 0) {
                ParallelRows.Part[] coded;
                try {
                    coded = ParallelRows.code(rows, parts, helpers, spare);
                } finally {
                    spare.giveBack(helpers);
                }
                writeParts(coded);
            } else if (parts > 1) {
                writePartsHere(parts);
            } else {
                writeWhole();
            }
            try {
                sink.write(out.data, 0, out.size);
            } finally {
                ReusedOutputBytes.giveBack(out);
                out = null;
            }
        }

        private void writeWhole() {
            long filteredBytes = (long) height * (rows.rowBytes() + 1);
            // Photos filter and compress to ~50-70% of their raw size; growing costs one copy.
            out = ReusedOutputBytes.take((int) Math.min(Integer.MAX_VALUE - 16, filteredBytes * 3 / 4 + 4096));
            out.put(SIGNATURE);
            writeHeader();
            openChunk();
            DeflateCoder coder = new DeflateCoder(out);
            coder.start();
            rows.code(0, height, coder, true, length -> {
                if (out.size - chunkStart - 8 > MAX_CHUNK_BYTES - DeflateCoder.maxBlockOutput(length)) {
                    // Bits still in the coder's buffer just go into the next chunk: IDATs split
                    // the zlib stream at any byte boundary.
                    closeChunk();
                    openChunk();
                }
            });
            coder.finish();
            closeChunk();
            chunk(IEND);
        }

        /**
         * The parts coded on other threads, stitched into one zlib stream in {@code out} (filled
         * exactly): one IDAT chunk a part, the zlib header in the first, the Adler-32 in the last.
         */
        private void writeParts(ParallelRows.Part[] parts) {
            long total = SIGNATURE.length + 25 + 2 + 4 + 12;
            for (ParallelRows.Part part : parts) {
                total += 12 + part.size();
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL,
                        "the encoded image would be larger than 2 GiB");
            }
            out = ReusedOutputBytes.take((int) total + 16); // OutputBytes keeps 8 bytes spare beyond what is written
            out.put(SIGNATURE);
            writeHeader();
            int adler = 1;
            for (int k = 0; k < parts.length; k++) {
                ParallelRows.Part part = parts[k];
                openPartChunk(k == 0);
                out.ensure(part.size() + 4);
                System.arraycopy(part.data(), 0, out.data, out.size, part.size());
                out.size += part.size();
                adler = DeflateFormat.combineAdler(adler, part.adler(), part.filteredLength());
                closePartChunk(k == parts.length - 1, adler);
            }
            chunk(IEND);
            if (out.size != total) {
                throw new IllegalStateException("PNG size " + out.size + " != " + total);
            }
        }

        /** The same parts as {@link #writeParts}, coded one after the other on this thread straight into {@code out}. */
        private void writePartsHere(int parts) {
            long filteredBytes = (long) height * (rows.rowBytes() + 1);
            out = ReusedOutputBytes.take((int) Math.min(Integer.MAX_VALUE - 16, filteredBytes * 3 / 4 + 4096 + 12L * parts));
            out.put(SIGNATURE);
            writeHeader();
            int rowsPerPart = ParallelRows.rowsPerPart(rows, parts);
            RowCoder.Strips strips = rows.strips();
            int adler = 1;
            for (int y0 = 0; y0 < height; y0 += rowsPerPart) {
                int y1 = Math.min(height, y0 + rowsPerPart);
                boolean last = y1 == height;
                openPartChunk(y0 == 0);
                int partAdler = ParallelRows.codePart(rows, y0, y1, last, out, strips);
                adler = DeflateFormat.combineAdler(adler, partAdler, (long) (y1 - y0) * (rows.rowBytes() + 1));
                closePartChunk(last, adler);
            }
            chunk(IEND);
        }

        /** Opens a part's IDAT chunk; the first part's starts with the zlib header (as DeflateCoder.start() writes it). */
        private void openPartChunk(boolean first) {
            openChunk();
            if (first) {
                out.put(new byte[] {0x78, 0x01});
            }
        }

        /** Closes a part's IDAT chunk; the last part's ends with the Adler-32 of all the filtered rows. */
        private void closePartChunk(boolean last, int adler) {
            if (last) {
                out.putIntBE(adler);
            }
            closeChunk();
        }

        private void writeHeader() {
            int start = out.size;
            out.putIntBE(13);
            out.putIntBE(IHDR);
            out.putIntBE(width);
            out.putIntBE(height);
            out.ensure(5);
            byte[] d = out.data;
            d[out.size++] = (byte) bitDepth;
            d[out.size++] = (byte) switch (channels) {
                case 1 -> 0; // gray
                case 2 -> 4; // gray + alpha
                case 3 -> 2; // RGB
                default -> 6; // RGBA
            };
            d[out.size++] = 0; // deflate
            d[out.size++] = 0; // adaptive filtering (per-row filter byte)
            d[out.size++] = 0; // not interlaced
            crc.reset();
            crc.update(out.data, start + 4, out.size - start - 4);
            out.putIntBE((int) crc.getValue());
        }

        /** Writes a chunk with no data (IEND). */
        private void chunk(int type) {
            int start = out.size;
            out.putIntBE(0);
            out.putIntBE(type);
            crc.reset();
            crc.update(out.data, start + 4, 4);
            out.putIntBE((int) crc.getValue());
        }

        private void openChunk() {
            out.ensure(8);
            chunkStart = out.size;
            out.size += 8; // length and type are written when the chunk is closed
        }

        private void closeChunk() {
            int length = out.size - chunkStart - 8;
            int end = out.size;
            out.size = chunkStart;
            out.putIntBE(length);
            out.putIntBE(IDAT);
            out.size = end;
            crc.reset();
            crc.update(out.data, chunkStart + 4, length + 4);
            out.putIntBE((int) crc.getValue());
        }
    }
}
