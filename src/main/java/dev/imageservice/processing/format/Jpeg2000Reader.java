package dev.imageservice.processing.format;

/**
 * A JPEG 2000 codestream's SIZ segment (right after its SOC marker), or a JP2 file's image header
 * box ('ihdr', the first box inside the 'jp2h' header box).
 */
final class Jpeg2000Reader {
    private Jpeg2000Reader() {
    }

    static Found read(byte[] d) {
        return Bytes.u16be(d, 0) == 0xFF4F ? codestream(d) : jp2(d);
    }

    /** SOC, SIZ marker, Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, 4 tile fields, Csiz, then Ssiz per component. */
    private static Found codestream(byte[] d) {
        if (d.length < 43 || Bytes.u16be(d, 2) != 0xFF51) {
            return null;
        }
        long width = Bytes.u32be(d, 8) - Bytes.u32be(d, 16);
        long height = Bytes.u32be(d, 12) - Bytes.u32be(d, 20);
        return new Found(Bytes.clamp(width), Bytes.clamp(height),
                new Jpeg2000Traits(true, Bytes.u16be(d, 40), (Bytes.u8(d, 42) & 0x7F) + 1));
    }

    /** Boxes: length (4; 1 = a 64-bit length follows, 0 = to the end), type (4), contents. */
    private static Found jp2(byte[] d) {
        int p = 0;
        int end = d.length;
        while (p + 8 <= end) {
            long length = Bytes.u32be(d, p);
            String type = new String(d, p + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int header = 8;
            if (length == 1) {
                if (p + 16 > end) {
                    return null;
                }
                length = Bytes.u32be(d, p + 8) << 32 | Bytes.u32be(d, p + 12);
                header = 16;
            } else if (length == 0) {
                length = end - p;
            }
            if (length < header) {
                return null;
            }
            if (type.equals("jp2h")) { // a superbox: look inside it
                end = (int) Math.min(end, p + length);
                p += header;
                continue;
            }
            if (type.equals("ihdr")) { // height, width, components, bits per component - 1 (255: varies)
                int at = p + header;
                if (at + 11 > d.length) {
                    return null;
                }
                int bpc = Bytes.u8(d, at + 10);
                return new Found(Bytes.clamp(Bytes.u32be(d, at + 4)), Bytes.clamp(Bytes.u32be(d, at)),
                        new Jpeg2000Traits(false, Bytes.u16be(d, at + 8), bpc == 255 ? 0 : (bpc & 0x7F) + 1));
            }
            p += (int) Math.min(length, Integer.MAX_VALUE - p);
        }
        return null;
    }
}
