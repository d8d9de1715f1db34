package dev.imageservice.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Images carrying an EXIF orientation tag, written byte by byte: a JPEG with an APP1 "Exif"
 * segment (as phones write it) and a PNG with an eXIf chunk.
 */
public final class ExifImages {

    private ExifImages() {
    }

    /** A little-endian TIFF structure with one IFD0 entry: Orientation (0x0112) = {@code orientation}. */
    public static byte[] tiffWithOrientation(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        return tiff.array();
    }

    /** {@code jpeg} with an APP1 Exif segment holding the orientation, right after SOI. */
    public static byte[] jpegWithOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = tiffWithOrientation(orientation);
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + length + 2);
        out.write(jpeg, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(header);
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** {@code png} with an eXIf chunk holding the orientation, right after IHDR. */
    public static byte[] pngWithOrientation(byte[] png, int orientation) {
        byte[] tiff = tiffWithOrientation(orientation);
        int afterIhdr = 8 + 8 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + tiff.length + 12);
        out.write(png, 0, afterIhdr);
        ByteBuffer length = ByteBuffer.allocate(4).putInt(tiff.length);
        out.writeBytes(length.array());
        byte[] typeAndData = new byte[4 + tiff.length];
        System.arraycopy("eXIf".getBytes(StandardCharsets.ISO_8859_1), 0, typeAndData, 0, 4);
        System.arraycopy(tiff, 0, typeAndData, 4, tiff.length);
        out.writeBytes(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }
}
