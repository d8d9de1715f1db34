package dev.imageservice.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Small files whose headers claim far more pixels than they hold: decompression bombs, one or
 * more per format the service reads. Each is otherwise whole (a JPEG ends with its end marker, a
 * WebP is as long as its RIFF header says), so only the claimed size can refuse it.
 */
public final class LyingHeaders {
    /** The size every 32-bit-size format claims here: 3,600 MP. */
    public static final int CLAIM = 60_000;

    private LyingHeaders() {
    }

    /** A real 16x16 JPEG whose frame header (SOF0) says 60000x60000. */
    public static byte[] jpeg() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 31), ".jpg");
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        // FF C0, length (2), precision (1), height (2), width (2).
        ByteBuffer.wrap(jpeg).putShort(sof + 5, (short) CLAIM).putShort(sof + 7, (short) CLAIM);
        return jpeg;
    }

    /** A real 16x16 PNG whose IHDR says 60000x60000, with the chunk's CRC made right again. */
    public static byte[] png() {
        byte[] png = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 32), ".png");
        ByteBuffer buffer = ByteBuffer.wrap(png).putInt(16, CLAIM).putInt(20, CLAIM);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        buffer.putInt(29, (int) crc.getValue());
        return png;
    }

    /** A real lossy (VP8) WebP whose key frame says 16383x16383, the most its 14 bits hold: 268 MP. */
    public static byte[] webpLossy() {
        byte[] webp = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 33), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80);
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putShort(26, (short) 0x3FFF).putShort(28, (short) 0x3FFF);
        return webp;
    }

    /** A real lossless (VP8L) WebP whose header says 16384x16384: 268 MP. */
    public static byte[] webpLossless() {
        byte[] webp = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 34), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101);
        // 14 bits of width - 1 from bit 0 of byte 21, then 14 bits of height - 1; the alpha and version bits kept.
        int bits = ByteBuffer.wrap(webp, 21, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        bits = bits & ~0x0FFFFFFF | 0x3FFF | 0x3FFF << 14;
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putInt(21, bits);
        return webp;
    }

    /** An extended (VP8X) WebP whose canvas is 60000x60000, followed by a real 16x16 lossless image. */
    public static byte[] webpExtended() {
        byte[] small = TestImages.encode(TestImages.photoLike(16, 16, 3, 8, 35), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101);
        byte[] image = java.util.Arrays.copyOfRange(small, 12, small.length); // its VP8L chunk
        ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0) // flags and reserved
                .put(u24(CLAIM - 1)).put(u24(CLAIM - 1));
        ByteBuffer riff = ByteBuffer.allocate(12 + 18 + image.length).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 18 + image.length)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(vp8x.array()).put(image);
        return riff.array();
    }

    /**
     * A Windows BMP header (BITMAPINFOHEADER) of 60000 columns and the given number of rows
     * (negative: stored top-down), 24 bits a pixel, and one row of pixels.
     */
    public static byte[] bmp(int height) {
        int rowBytes = (CLAIM * 3 + 3) / 4 * 4;
        ByteBuffer bmp = ByteBuffer.allocate(54 + rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(54 + rowBytes).putInt(0).putInt(54)
                .putInt(40).putInt(CLAIM).putInt(height).putShort((short) 1).putShort((short) 24)
                .putInt(0).putInt(rowBytes).putInt(2835).putInt(2835).putInt(0).putInt(0);
        return bmp.array();
    }

    /** An OS/2 1.x BMP (16-bit sizes) claiming 65535x65535: 4,295 MP. */
    public static byte[] bmpOs2() {
        ByteBuffer bmp = ByteBuffer.allocate(26 + 4).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(30).putInt(0).putInt(26)
                .putInt(12).putShort((short) 0xFFFF).putShort((short) 0xFFFF).putShort((short) 1).putShort((short) 24);
        return bmp.array();
    }

    /**
     * A TIFF of 60000x60000 8-bit gray pixels, uncompressed, with one strip of 16 bytes: the
     * directory comes after the pixels, as libtiff writes it.
     */
    public static byte[] tiff(ByteOrder order) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 16 + 2 + 8 * 12 + 4).order(order);
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        tiff.putShort((short) 42).putInt(8 + 16);
        tiff.put(new byte[16]); // the "pixels"
        tiff.putShort((short) 8);
        tiffEntry(tiff, 256, 4, CLAIM); // ImageWidth, LONG
        tiffEntry(tiff, 257, 4, CLAIM); // ImageLength, LONG
        tiffShortEntry(tiff, 258, 8); // BitsPerSample
        tiffShortEntry(tiff, 259, 1); // Compression: none
        tiffShortEntry(tiff, 262, 1); // PhotometricInterpretation: black is zero
        tiffEntry(tiff, 273, 4, 8); // StripOffsets
        tiffShortEntry(tiff, 277, 1); // SamplesPerPixel
        tiffEntry(tiff, 279, 4, 16); // StripByteCounts
        tiff.putInt(0); // no next directory
        return tiff.array();
    }

    /** A PAM header of 60000x60000 RGB pixels, and no pixels. */
    public static byte[] pam() {
        return ("P7\nWIDTH " + CLAIM + "\nHEIGHT " + CLAIM + "\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A raw PPM (P6) header of 60000x60000 pixels, with a comment, and no pixels. */
    public static byte[] ppm() {
        return ("P6\n# made by a test\n" + CLAIM + " " + CLAIM + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A JP2 file (signature, file type, header box with its image header) claiming 60000x60000, and no codestream. */
    public static byte[] jp2() {
        ByteBuffer jp2 = ByteBuffer.allocate(12 + 20 + 8 + 22);
        jp2.putInt(12).put("jP  ".getBytes(StandardCharsets.US_ASCII)).putInt(0x0D0A870A);
        jp2.putInt(20).put("ftyp".getBytes(StandardCharsets.US_ASCII)).put("jp2 ".getBytes(StandardCharsets.US_ASCII))
                .putInt(0).put("jp2 ".getBytes(StandardCharsets.US_ASCII));
        jp2.putInt(8 + 22).put("jp2h".getBytes(StandardCharsets.US_ASCII));
        jp2.putInt(22).put("ihdr".getBytes(StandardCharsets.US_ASCII)).putInt(CLAIM).putInt(CLAIM)
                .putShort((short) 3).put((byte) 7).put((byte) 7).put((byte) 0).put((byte) 0);
        return jp2.array();
    }

    private static void tiffEntry(ByteBuffer tiff, int tag, int type, int value) {
        tiff.putShort((short) tag).putShort((short) type).putInt(1).putInt(value);
    }

    /** A SHORT value sits in the first two of the entry's four value bytes, in the file's byte order. */
    private static void tiffShortEntry(ByteBuffer tiff, int tag, int value) {
        tiff.putShort((short) tag).putShort((short) 3).putInt(1).putShort((short) value).putShort((short) 0);
    }

    private static byte[] u24(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16)};
    }

    private static int indexOf(byte[] data, byte first, byte second) {
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == first && data[i + 1] == second) {
                return i;
            }
        }
        throw new IllegalArgumentException("marker not found");
    }

    /** Concatenates, for tests that build files from parts. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
