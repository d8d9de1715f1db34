package dev.imageservice.processing.format;

/** Reads integers of either byte order out of a header; callers check the bounds first. */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] d, int i) {
        return d[i] & 0xFF;
    }

    static int u16be(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    static int u16le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }

    static int u24le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF) << 16;
    }

    static int s32be(byte[] d, int i) {
        return (d[i] & 0xFF) << 24 | (d[i + 1] & 0xFF) << 16 | (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
    }

    static int s32le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF) << 16 | (d[i + 3] & 0xFF) << 24;
    }

    static long u32be(byte[] d, int i) {
        return s32be(d, i) & 0xFFFFFFFFL;
    }

    static long u32le(byte[] d, int i) {
        return s32le(d, i) & 0xFFFFFFFFL;
    }

    /** Whether the bytes from {@code from} (and before {@code end}) begin with the ASCII text. */
    static boolean startsWith(byte[] d, int from, int end, String ascii) {
        if (from < 0 || end > d.length || end - from < ascii.length()) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (d[from + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** A dimension too large for an int is still too large: kept as the largest int. */
    static int clamp(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }
}
