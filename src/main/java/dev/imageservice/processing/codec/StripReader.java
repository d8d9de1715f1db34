package dev.imageservice.processing.codec;

import org.opencv.core.Mat;

/**
 * Copies strips of rows out of a continuous Mat's native memory into PNG's sample order: channels
 * permuted if asked (B,G,R to R,G,B), 16-bit samples big-endian. The common case (8-bit, stored
 * order) is one bulk copy per strip; the buffers are reused from strip to strip.
 */
final class StripReader {
    private final Mat image;
    private final int channels;
    private final int bitDepth;
    private final int[] permutation;
    private final int rowBytes;
    private final byte[] raw;
    private final byte[] source8;
    private final short[] source16;

    StripReader(Mat image, int width, int channels, int bitDepth, int[] permutation, int rowsPerStrip) {
        this.image = image;
        this.channels = channels;
        this.bitDepth = bitDepth;
        this.permutation = permutation;
        this.rowBytes = width * channels * bitDepth / 8;
        this.raw = new byte[rowsPerStrip * rowBytes];
        boolean direct = bitDepth == 8 && permutation == null;
        this.source8 = bitDepth == 8 && !direct ? new byte[raw.length] : null;
        this.source16 = bitDepth == 16 ? new short[raw.length / 2] : null;
    }

    /** Rows {@code [y, y + rows)} in PNG order from index 0; valid until the next call. */
    byte[] read(int y, int rows) {
        int bytes = rows * rowBytes;
        if (bitDepth == 8 && permutation == null) {
            image.get(y, 0, raw); // copies at most what is left of the Mat
        } else if (bitDepth == 8) {
            image.get(y, 0, source8);
            permute8(bytes);
        } else {
            image.get(y, 0, source16);
            bigEndian16(bytes / 2);
        }
        return raw;
    }

    private void permute8(int bytes) {
        byte[] s = source8;
        byte[] d = raw;
        if (channels == 3) {
            for (int i = 0; i + 2 < bytes; i += 3) {
                d[i] = s[i + 2];
                d[i + 1] = s[i + 1];
                d[i + 2] = s[i];
            }
        } else {
            for (int i = 0; i + 3 < bytes; i += 4) {
                d[i] = s[i + 2];
                d[i + 1] = s[i + 1];
                d[i + 2] = s[i];
                d[i + 3] = s[i + 3];
            }
        }
    }

    private void bigEndian16(int samples) {
        short[] s = source16;
        byte[] d = raw;
        int[] p = permutation;
        if (p == null) {
            for (int k = 0; k < samples; k++) {
                d[2 * k] = (byte) (s[k] >> 8);
                d[2 * k + 1] = (byte) s[k];
            }
            return;
        }
        for (int pixel = 0; pixel + channels <= samples; pixel += channels) {
            for (int c = 0; c < channels; c++) {
                short value = s[pixel + p[c]];
                d[2 * (pixel + c)] = (byte) (value >> 8);
                d[2 * (pixel + c) + 1] = (byte) value;
            }
        }
    }
}
