package dev.imageservice.processing.format;

/** A BMP's 14-byte file header, then its info header: OS/2 1.x (16-bit sizes) or Windows (32-bit). */
final class BmpReader {
    private static final int OS2_CORE_HEADER = 12;

    private BmpReader() {
    }

    static Found read(byte[] d) {
        if (d.length < 26) {
            return null;
        }
        int headerSize = Bytes.s32le(d, 14);
        if (headerSize == OS2_CORE_HEADER) {
            return new Found(Bytes.u16le(d, 18), Bytes.u16le(d, 20),
                    new BmpTraits(headerSize, Bytes.u16le(d, 24), 0, false));
        }
        int height = Bytes.s32le(d, 22);
        int bits = d.length >= 30 ? Bytes.u16le(d, 28) : 0;
        int compression = d.length >= 34 ? Bytes.s32le(d, 30) : 0;
        // A negative height means rows are stored top-down; Math.abs keeps MIN_VALUE negative, so it is refused.
        return new Found(Bytes.s32le(d, 18), Math.abs(height), new BmpTraits(headerSize, bits, compression, height < 0));
    }
}
