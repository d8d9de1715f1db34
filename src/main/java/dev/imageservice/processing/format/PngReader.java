package dev.imageservice.processing.format;

/** A PNG's IHDR chunk, which the format requires to come first, right after the signature. */
final class PngReader {
    private PngReader() {
    }

    static Found read(byte[] d) {
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), depth, colour type,
        // compression, filter, interlace (1 each).
        if (d.length < 29 || !Bytes.startsWith(d, 12, 16, "IHDR")) {
            return null;
        }
        return new Found(Bytes.s32be(d, 16), Bytes.s32be(d, 20),
                new PngTraits(Bytes.u8(d, 24), Bytes.u8(d, 25), Bytes.u8(d, 28) == 1));
    }
}
