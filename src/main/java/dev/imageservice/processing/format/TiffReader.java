package dev.imageservice.processing.format;

/**
 * A TIFF's first image file directory (IFD): byte order and the directory's offset in the 8-byte
 * header, then 12-byte entries (tag, type, count, value or offset). The directory may sit anywhere
 * in the file, often after the pixels.
 */
final class TiffReader {
    private static final int IMAGE_WIDTH = 256;
    private static final int IMAGE_LENGTH = 257;
    private static final int BITS_PER_SAMPLE = 258;
    private static final int COMPRESSION = 259;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int SAMPLE_FORMAT = 339;
    private static final int SHORT = 3;
    private static final int LONG = 4;

    private TiffReader() {
    }

    /** @return the dimensions, or null when the directory is not within {@code d} or has no dimensions */
    static Found read(byte[] d) {
        if (d.length < 8) {
            return null;
        }
        boolean little = d[0] == 'I';
        long directory = u32(d, 4, little);
        if (directory < 8 || directory + 2 > d.length) {
            return null;
        }
        int entries = u16(d, (int) directory, little);
        long width = -1;
        long height = -1;
        int compression = 1;
        int samples = 1;
        int bits = 1;
        int sampleFormat = 1;
        for (int e = 0; e < entries; e++) {
            int at = (int) directory + 2 + 12 * e;
            if (at + 12 > d.length) {
                return null;
            }
            if (!valuesWithin(d, at, little)) {
                return null; // as the JDK's reader, which fails on it: libtiff may spend seconds on such a file
            }
            int tag = u16(d, at, little);
            long value = firstValue(d, at, little);
            switch (tag) {
                case IMAGE_WIDTH -> width = value;
                case IMAGE_LENGTH -> height = value;
                case BITS_PER_SAMPLE -> bits = (int) value;
                case COMPRESSION -> compression = (int) value;
                case SAMPLES_PER_PIXEL -> samples = (int) value;
                case SAMPLE_FORMAT -> sampleFormat = (int) value;
                default -> {
                }
            }
        }
        if (width < 0 || height < 0) {
            return null;
        }
        return new Found(Bytes.clamp(width), Bytes.clamp(height),
                new TiffTraits(little, compression, samples, bits, sampleFormat));
    }

    /** Whether the entry's values, when they do not fit in the entry itself, lie within {@code d}. */
    private static boolean valuesWithin(byte[] d, int entry, boolean little) {
        int type = u16(d, entry + 2, little);
        int size = switch (type) {
            case 1, 2, 6, 7 -> 1; // BYTE, ASCII, SBYTE, UNDEFINED
            case 3, 8 -> 2; // SHORT, SSHORT
            case 4, 9, 11, 13 -> 4; // LONG, SLONG, FLOAT, IFD
            case 5, 10, 12 -> 8; // RATIONAL, SRATIONAL, DOUBLE
            default -> 0; // unknown types are skipped by readers
        };
        long bytes = size * u32(d, entry + 4, little);
        return bytes <= 4 || u32(d, entry + 8, little) + bytes <= d.length;
    }

    /** The entry's first SHORT or LONG value: in the entry itself when it fits in 4 bytes, else at its offset; -1 if unreadable. */
    private static long firstValue(byte[] d, int entry, boolean little) {
        int type = u16(d, entry + 2, little);
        long count = u32(d, entry + 4, little);
        int size = type == SHORT ? 2 : type == LONG ? 4 : 0;
        if (size == 0 || count < 1) {
            return -1;
        }
        long at = count * size <= 4 ? entry + 8 : u32(d, entry + 8, little);
        if (at + size > d.length) {
            return -1;
        }
        return size == 2 ? u16(d, (int) at, little) : u32(d, (int) at, little);
    }

    private static int u16(byte[] d, int i, boolean little) {
        return little ? Bytes.u16le(d, i) : Bytes.u16be(d, i);
    }

    private static long u32(byte[] d, int i, boolean little) {
        return little ? Bytes.u32le(d, i) : Bytes.u32be(d, i);
    }
}
