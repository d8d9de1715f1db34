package dev.imageservice.processing.format;

/**
 * A WebP's RIFF header and first chunk: "VP8 " (a lossy key frame), "VP8L" (lossless) or "VP8X"
 * (extended, with the canvas size). Layouts from the WebP container and bitstream specifications.
 */
final class WebpReader {
    private WebpReader() {
    }

    static Found read(byte[] d) {
        if (d.length < 30) {
            return null;
        }
        if (Bytes.startsWith(d, 12, 16, "VP8 ")) {
            // Frame tag (3 bytes at 20), start code 9D 01 2A, then 14-bit width and height (2 bits of scale each).
            if (Bytes.u8(d, 23) != 0x9D || Bytes.u8(d, 24) != 0x01 || Bytes.u8(d, 25) != 0x2A) {
                return null;
            }
            return new Found(Bytes.u16le(d, 26) & 0x3FFF, Bytes.u16le(d, 28) & 0x3FFF,
                    new WebpTraits(WebpTraits.Kind.LOSSY, false, false));
        }
        if (Bytes.startsWith(d, 12, 16, "VP8L")) {
            // Signature 0x2F at 20, then 14 bits of width - 1, 14 bits of height - 1, the alpha bit.
            if (Bytes.u8(d, 20) != 0x2F) {
                return null;
            }
            int b1 = Bytes.u8(d, 22);
            int b2 = Bytes.u8(d, 23);
            int b3 = Bytes.u8(d, 24);
            int width = 1 + (Bytes.u8(d, 21) | (b1 & 0x3F) << 8);
            int height = 1 + ((b1 >> 6) | b2 << 2 | (b3 & 0x0F) << 10);
            return new Found(width, height, new WebpTraits(WebpTraits.Kind.LOSSLESS, (b3 & 0x10) != 0, false));
        }
        if (Bytes.startsWith(d, 12, 16, "VP8X")) {
            // Flags at 20 (alpha 0x10, animation 0x02), 3 reserved bytes, 24-bit canvas width - 1 and height - 1.
            int flags = Bytes.u8(d, 20);
            return new Found(1 + Bytes.u24le(d, 24), 1 + Bytes.u24le(d, 27),
                    new WebpTraits(WebpTraits.Kind.EXTENDED, (flags & 0x10) != 0, (flags & 0x02) != 0));
        }
        return null;
    }

    /** Whether the file is as long as its RIFF header says. */
    static boolean whole(byte[] head, long size) {
        return head.length >= 8 && size >= 8 + Bytes.u32le(head, 4);
    }
}
