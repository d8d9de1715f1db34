package dev.imageservice.testing;

import dev.imageservice.testing.TestImages.Pixels;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The edge cases every transport must handle the same way, each with what it must answer. Built
 * in code, so the corpus needs no binary fixtures.
 */
public final class EdgeCases {

    /** What a transport must answer: a status kind and part of its message, or exact pixels. */
    public record Case(String name, Supplier<byte[]> input, Expected expected, String messagePart, Supplier<Pixels> pixels) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Outcome kinds, mapped to each transport's status by its own test. */
    public enum Expected { OK, INVALID, UNSUPPORTED, TOO_MANY_PIXELS }

    private EdgeCases() {
    }

    public static List<Case> all() {
        Pixels photo = TestImages.photoLike(200, 150, 3, 8, 21);
        byte[] jpeg = TestImages.encode(photo, ".jpg");
        byte[] png = TestImages.encode(photo, ".png");
        Pixels sixteen = TestImages.photoLike(50, 40, 3, 16, 22);
        byte[] random = new byte[10_000];
        new Random(23).nextBytes(random);
        return List.of(
                new Case("empty", () -> new byte[0], Expected.INVALID, "the image is empty", null),
                new Case("random bytes", () -> random, Expected.INVALID, "not a recognised image format", null),
                new Case("text", () -> "Hello, I am not an image.\n".getBytes(StandardCharsets.UTF_8), Expected.INVALID,
                        "not a recognised image format", null),
                new Case("truncated JPEG", () -> Arrays.copyOf(jpeg, jpeg.length * 6 / 10), Expected.INVALID,
                        "JPEG image is truncated", null),
                new Case("JPEG whose data ends early, end marker appended", EdgeCases::jpegCutShort, Expected.INVALID,
                        "JPEG image is truncated", null),
                new Case("truncated PNG", () -> Arrays.copyOf(png, png.length * 6 / 10), Expected.INVALID,
                        "corrupt PNG data", null),
                new Case("bomb PNG 30000x30000", EdgeCases::bombPng, Expected.TOO_MANY_PIXELS,
                        "the image is 30000x30000 = 900 MP; the limit is 50 MP", null),
                new Case("bomb PGM 30000x30000 (header only)",
                        () -> "P5\n# a comment\n30000 30000\n255\n".getBytes(StandardCharsets.US_ASCII),
                        Expected.TOO_MANY_PIXELS, "the image is 30000x30000 = 900 MP", null),
                new Case("bomb JPEG 2000 codestream 30000x30000", EdgeCases::jpeg2000Bomb, Expected.TOO_MANY_PIXELS,
                        "the image is 30000x30000 = 900 MP", null),
                bomb("JPEG whose frame header says 60000x60000", LyingHeaders::jpeg, "60000x60000 = 3600 MP"),
                bomb("PNG whose IHDR says 60000x60000", LyingHeaders::png, "60000x60000 = 3600 MP"),
                bomb("lossy WebP (VP8) saying 16383x16383", LyingHeaders::webpLossy, "16383x16383 = 268 MP"),
                bomb("lossless WebP (VP8L) saying 16384x16384", LyingHeaders::webpLossless, "16384x16384 = 268 MP"),
                bomb("extended WebP (VP8X) saying 60000x60000", LyingHeaders::webpExtended, "60000x60000 = 3600 MP"),
                bomb("BMP saying 60000x60000 bottom-up", () -> LyingHeaders.bmp(60_000), "60000x60000 = 3600 MP"),
                bomb("BMP saying 60000x60000 top-down (negative height)", () -> LyingHeaders.bmp(-60_000), "60000x60000 = 3600 MP"),
                bomb("little-endian TIFF saying 60000x60000", () -> LyingHeaders.tiff(ByteOrder.LITTLE_ENDIAN), "60000x60000 = 3600 MP"),
                bomb("big-endian TIFF saying 60000x60000", () -> LyingHeaders.tiff(ByteOrder.BIG_ENDIAN), "60000x60000 = 3600 MP"),
                bomb("PAM saying 60000x60000", LyingHeaders::pam, "60000x60000 = 3600 MP"),
                bomb("PPM saying 60000x60000", LyingHeaders::ppm, "60000x60000 = 3600 MP"),
                bomb("JP2 file saying 60000x60000", LyingHeaders::jp2, "60000x60000 = 3600 MP"),
                new Case("Radiance HDR", () -> "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 30000 +X 30000\n"
                        .getBytes(StandardCharsets.US_ASCII), Expected.UNSUPPORTED, "unsupported image format: Radiance HDR", null),
                new Case("float TIFF", EdgeCases::floatTiff, Expected.UNSUPPORTED, "32-bit floating-point", null),
                new Case("GIF", EdgeCases::gif, Expected.UNSUPPORTED, "unsupported image format: GIF", null),
                new Case("16-bit PNG", () -> TestImages.encode(sixteen, ".png"), Expected.OK, null, sixteen::swapped),
                new Case("CMYK JPEG", EdgeCases::cmykJpeg, Expected.OK, null, () -> TestImages.decode(cmykJpeg()).swapped()),
                new Case("palette PNG", EdgeCases::palettePng, Expected.OK, null, EdgeCases::palettePngSwapped),
                new Case("photo JPEG", () -> jpeg, Expected.OK, null, () -> TestImages.decode(jpeg).swapped()));
    }

    /** A decompression bomb: refused from its header, before any decoding, with the size it claims. */
    private static Case bomb(String what, Supplier<byte[]> input, String claim) {
        return new Case("bomb " + what, input, Expected.TOO_MANY_PIXELS, "the image is " + claim + "; the limit is 50 MP", null);
    }

    /**
     * The first 2 KB of a 1600x1200 JPEG with an end-of-image marker appended (issue 12): libjpeg
     * would warn "premature end of data segment" and fill the frame with grey.
     */
    public static byte[] jpegCutShort() {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(1600, 1200, 3, 8, 24), ".jpg");
        byte[] cut = Arrays.copyOf(jpeg, 2002);
        cut[2000] = (byte) 0xFF;
        cut[2001] = (byte) 0xD9;
        return cut;
    }

    /**
     * A valid 30000x30000 gray PNG of ~0.9 MB: it would decode to 900 MB. Built from one
     * compressed zero row repeated, so the test does not spend seconds deflating 900 MB.
     */
    public static byte[] bombPng() {
        int size = 30000;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(9);
        byte[] zeros = new byte[size + 1]; // filter byte + one row of black
        byte[] buffer = new byte[1 << 16];
        for (int row = 0; row < size; row++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(size).putInt(size).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The start of a JPEG 2000 codestream whose SIZ segment says 30000x30000; no pixel data. */
    public static byte[] jpeg2000Bomb() {
        ByteBuffer siz = ByteBuffer.allocate(64);
        siz.putShort((short) 0xFF4F).putShort((short) 0xFF51).putShort((short) 41).putShort((short) 0)
                .putInt(30000).putInt(30000).putInt(0).putInt(0) // size, then image offset
                .putInt(30000).putInt(30000).putInt(0).putInt(0) // tile size and offset
                .putShort((short) 3);
        return siz.array();
    }

    public static byte[] floatTiff() {
        Mat floats = new Mat(16, 16, CvType.CV_32FC3, new Scalar(0.25, 0.5, 0.75));
        MatOfByte tiff = new MatOfByte();
        try {
            Imgcodecs.imencode(".tiff", floats, tiff);
            return tiff.toArray();
        } finally {
            floats.release();
            tiff.release();
        }
    }

    public static byte[] gif() {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED);
        return write(image, "gif");
    }

    /** A 4-component (CMYK) JPEG, as print workflows produce; written from a raster by ImageIO. */
    public static byte[] cmykJpeg() {
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 64, 48, 4, null);
        Random random = new Random(24);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, new int[] {x * 4, y * 5, (x + y) * 2, random.nextInt(40)});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage paletteImage() {
        byte[] r = {(byte) 255, 0, 0, (byte) 200};
        byte[] g = {0, (byte) 255, 0, (byte) 100};
        byte[] b = {0, 0, (byte) 255, 50};
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, r, g, b));
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                raster.setSample(x, y, 0, (x / 8 + y / 6) % 4);
            }
        }
        return image;
    }

    public static byte[] palettePng() {
        return write(paletteImage(), "png");
    }

    /** The palette image swapped: where OpenCV would read B,G,R it must read R,G,B. */
    private static Pixels palettePngSwapped() {
        BufferedImage image = paletteImage();
        int[] samples = new int[32 * 24 * 3];
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                int rgb = image.getRGB(x, y);
                int i = (y * 32 + x) * 3;
                samples[i] = rgb >> 16 & 0xFF;
                samples[i + 1] = rgb >> 8 & 0xFF;
                samples[i + 2] = rgb & 0xFF;
            }
        }
        return new Pixels(32, 24, 3, 8, samples);
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
