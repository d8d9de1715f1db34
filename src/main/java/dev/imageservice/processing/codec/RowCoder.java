package dev.imageservice.processing.codec;

import org.opencv.core.Mat;

/**
 * Filters and deflates a range of a Mat's rows, strip by strip: ~128 KiB of rows are copied out of
 * native memory, filtered and compressed while they are in cache. Rows {@code [y0, y1)} depend only
 * on the row above {@code y0}, so ranges can be coded independently (in parallel) and stitched.
 */
final class RowCoder {
    /** Filtered bytes per strip and deflate block: small enough to stay in L2 cache between passes. */
    static final int STRIP_BYTES = 128 * 1024;

    /** Called before each deflate block with its length, e.g. to start a new container chunk. */
    interface BlockListener {
        void beforeBlock(int length);
    }

    private final Mat image;
    private final int width;
    private final int height;
    private final int channels;
    private final int bitDepth;
    private final int[] permutation;
    private final int rowBytes;
    private final int bytesPerPixel;
    private final int rowsPerStrip;

    RowCoder(Mat image, int width, int height, int channels, int bitDepth, int[] permutation) {
        this.image = image;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.bitDepth = bitDepth;
        this.permutation = permutation;
        this.bytesPerPixel = channels * bitDepth / 8;
        this.rowBytes = Math.multiplyExact(width, bytesPerPixel);
        this.rowsPerStrip = Math.max(1, STRIP_BYTES / (rowBytes + 1));
    }

    int rowBytes() {
        return rowBytes;
    }

    /**
     * Codes rows {@code [y0, y1)} into {@code coder} as one or more blocks; {@code endsStream} marks
     * the last block as the deflate stream's last.
     */
    void code(int y0, int y1, DeflateCoder coder, boolean endsStream, BlockListener listener) {
        code(y0, y1, coder, endsStream, listener, new Strips());
    }

    /** The same, with the strip buffers of {@code strips} (one thread's, reused from range to range). */
    void code(int y0, int y1, DeflateCoder coder, boolean endsStream, BlockListener listener, Strips strips) {
        StripReader reader = strips.reader;
        byte[] previous = strips.previous;
        if (y0 > 0) {
            System.arraycopy(reader.read(y0 - 1, 1), 0, previous, 0, rowBytes);
        } else {
            java.util.Arrays.fill(previous, (byte) 0); // the row above the first is all zeros
        }
        byte[] filtered = strips.filtered;
        for (int y = y0; y < y1; y += rowsPerStrip) {
            int rows = Math.min(rowsPerStrip, y1 - y);
            byte[] raw = reader.read(y, rows);
            for (int r = 0; r < rows; r++) {
                byte[] above = r == 0 ? previous : raw;
                int abovePos = r == 0 ? 0 : (r - 1) * rowBytes;
                PngFilters.filterRow(raw, r * rowBytes, above, abovePos, rowBytes, bytesPerPixel,
                        filtered, r * (rowBytes + 1));
            }
            System.arraycopy(raw, (rows - 1) * rowBytes, previous, 0, rowBytes);
            int length = rows * (rowBytes + 1);
            boolean lastStrip = y + rows >= y1;
            // A very wide row makes a long strip: code it in blocks of STRIP_BYTES all the same,
            // so that every block's worst case fits a container's chunk bound.
            for (int start = 0; start < length; start += STRIP_BYTES) {
                int end = Math.min(length, start + STRIP_BYTES);
                listener.beforeBlock(end - start);
                coder.block(filtered, start, end, endsStream && lastStrip && end == length);
            }
        }
    }

    int height() {
        return height;
    }

    /** Rows per strip (and per deflate block, but for very wide rows). */
    int rowsPerStrip() {
        return rowsPerStrip;
    }

    /** New strip buffers for one thread that codes ranges of these rows one after the other. */
    Strips strips() {
        return new Strips();
    }

    /** One thread's strip buffers: a strip copied out of the Mat, the row above it, the strip filtered. */
    final class Strips {
        private final StripReader reader = new StripReader(image, width, channels, bitDepth, permutation, rowsPerStrip);
        private final byte[] previous = new byte[rowBytes];
        private final byte[] filtered = new byte[rowsPerStrip * (rowBytes + 1)];
    }
}
