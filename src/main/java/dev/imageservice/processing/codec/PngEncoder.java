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
 * chunks of at most 1 MiB, IEND) around {@link PngFilters} (a filter chosen per row, as libpng
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
    /** Filtered bytes per strip and deflate block: small enough to stay in L2 cache between passes. */
    private static final int STRIP_BYTES = 128 * 1024;
    private static final int MAX_CHUNK_BYTES = 1 << 20;

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
        return 4 * strip + rowBytes + filtered * 3 / 4 + filtered * 9 / 8 + largestOutput + 64 * 1024;
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
        // Strips are copied out of native memory row by row; a non-continuous Mat (a view) is rare enough to clone.
        Mat continuous = image.isContinuous() ? image : image.clone();
        try {
            int bitDepth = depth == CvType.CV_8U ? 8 : 16;
            return new Writer(continuous, width, height, channels, bitDepth, permutation(channels)).write();
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
        private final Mat image;
        private final int width;
        private final int height;
        private final int channels;
        private final int bitDepth;
        private final int[] permutation;
        private final int rowBytes;
        private final int bytesPerPixel;
        private final OutputBytes out;
        private final CRC32 crc = new CRC32();
        private int chunkStart;

        Writer(Mat image, int width, int height, int channels, int bitDepth, int[] permutation) {
            this.image = image;
            this.width = width;
            this.height = height;
            this.channels = channels;
            this.bitDepth = bitDepth;
            this.permutation = permutation;
            this.bytesPerPixel = channels * bitDepth / 8;
            this.rowBytes = Math.multiplyExact(width, bytesPerPixel);
            long filteredBytes = (long) height * (rowBytes + 1);
            // Photos filter and compress to ~50-70% of their raw size; growing costs one copy.
            this.out = new OutputBytes((int) Math.min(Integer.MAX_VALUE - 16, filteredBytes * 3 / 4 + 4096));
        }

        byte[] write() {
            out.put(SIGNATURE);
            writeHeader();
            openChunk();
            DeflateCoder coder = new DeflateCoder(out);
            coder.start();
            int rowsPerStrip = Math.max(1, STRIP_BYTES / (rowBytes + 1));
            StripReader reader = new StripReader(image, width, channels, bitDepth, permutation, rowsPerStrip);
            byte[] previous = new byte[rowBytes]; // the row above the first is all zeros
            byte[] filtered = new byte[rowsPerStrip * (rowBytes + 1)];
            for (int y = 0; y < height; y += rowsPerStrip) {
                int rows = Math.min(rowsPerStrip, height - y);
                byte[] raw = reader.read(y, rows);
                for (int r = 0; r < rows; r++) {
                    byte[] above = r == 0 ? previous : raw;
                    int abovePos = r == 0 ? 0 : (r - 1) * rowBytes;
                    PngFilters.filterRow(raw, r * rowBytes, above, abovePos, rowBytes, bytesPerPixel,
                            filtered, r * (rowBytes + 1));
                }
                System.arraycopy(raw, (rows - 1) * rowBytes, previous, 0, rowBytes);
                int length = rows * (rowBytes + 1);
                boolean lastStrip = y + rows >= height;
                // A very wide row makes a long strip: code it in blocks of STRIP_BYTES all the same,
                // so that every block's worst case fits the chunk bound.
                for (int start = 0; start < length; start += STRIP_BYTES) {
                    int end = Math.min(length, start + STRIP_BYTES);
                    if (out.size - chunkStart - 8 > MAX_CHUNK_BYTES - DeflateCoder.maxBlockOutput(end - start)) {
                        // Bits still in the coder's buffer just go into the next chunk: IDATs split
                        // the zlib stream at any byte boundary.
                        closeChunk();
                        openChunk();
                    }
                    coder.block(filtered, start, end, lastStrip && end == length);
                }
            }
            coder.finish();
            closeChunk();
            chunk(IEND);
            return out.toArray();
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
