package dev.imageservice.processing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An image's dimensions read from its header, without decoding any pixels, so that an image too
 * large to decode safely (a decompression bomb) is refused before any memory is spent on it.
 */
public record ImageHeader(int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    /**
     * Reads the dimensions. Empty when the format's header is not parsed here (the decoder's own
     * limit is then the only guard).
     *
     * @throws ImageProcessingException when a recognised format has no valid header
     */
    public static Optional<ImageHeader> read(byte[] data, ImageFormat format) {
        ImageHeader header = switch (format) {
            case PNG -> png(data);
            case JPEG -> jpeg(data);
            case WEBP -> webp(data);
            case BMP -> bmp(data);
            case GIF -> data.length >= 10 ? new ImageHeader(u16le(data, 6), u16le(data, 8)) : null;
            case TIFF -> viaImageIo(data);
            case PNM -> pnm(data);
            case JPEG2000 -> jpeg2000(data);
            default -> null;
        };
        if (header == null) {
            if (format == ImageFormat.UNKNOWN || format == ImageFormat.HDR || format == ImageFormat.HEIF) {
                return Optional.empty(); // never decoded: refused for their format
            }
            throw ImageProcessingException.invalid("could not decode the image: corrupt " + format.displayName()
                    + " data (no valid image header)");
        }
        if (header.width <= 0 || header.height <= 0) {
            throw ImageProcessingException.invalid("could not decode the image: the " + format.displayName()
                    + " header says " + header.width + "x" + header.height);
        }
        return Optional.of(header);
    }

    private static ImageHeader png(byte[] d) {
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
        if (d.length < 24 || d[12] != 'I' || d[13] != 'H' || d[14] != 'D' || d[15] != 'R') {
            return null;
        }
        return new ImageHeader(s32be(d, 16), s32be(d, 20));
    }

    private static ImageHeader jpeg(byte[] d) {
        int i = 2;
        while (i + 3 < d.length) {
            if ((d[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                i += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) { // end of image / start of scan before any frame
                return null;
            }
            int length = u16be(d, i + 2);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                if (i + 8 >= d.length) {
                    return null;
                }
                return new ImageHeader(u16be(d, i + 7), u16be(d, i + 5));
            }
            i += 2 + length;
        }
        return null;
    }

    private static ImageHeader webp(byte[] d) {
        if (d.length < 30) {
            return null;
        }
        String chunk = new String(d, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8 " -> new ImageHeader(u16le(d, 26) & 0x3FFF, u16le(d, 28) & 0x3FFF);
            case "VP8L" -> {
                int b1 = d[22] & 0xFF;
                int b2 = d[23] & 0xFF;
                int b3 = d[24] & 0xFF;
                int width = 1 + ((d[21] & 0xFF) | (b1 & 0x3F) << 8);
                int height = 1 + ((b1 >> 6) | b2 << 2 | (b3 & 0x0F) << 10);
                yield new ImageHeader(width, height);
            }
            case "VP8X" -> new ImageHeader(1 + u24le(d, 24), 1 + u24le(d, 27));
            default -> null;
        };
    }

    private static ImageHeader bmp(byte[] d) {
        if (d.length < 26) {
            return null;
        }
        int headerSize = s32le(d, 14);
        if (headerSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit fields
            return new ImageHeader(u16le(d, 18), u16le(d, 20));
        }
        // A negative height means rows are stored top-down.
        return new ImageHeader(s32le(d, 18), Math.abs(s32le(d, 22)));
    }

    /**
     * PBM/PGM/PPM (P1-P6): the magic, then width and height as decimals, separated by white space
     * and '#' comments. PAM (P7): WIDTH and HEIGHT lines.
     */
    private static ImageHeader pnm(byte[] d) {
        if (d[1] == '7') {
            String text = new String(d, 0, Math.min(d.length, 4096), java.nio.charset.StandardCharsets.US_ASCII);
            java.util.regex.Matcher width = java.util.regex.Pattern.compile("(?m)^WIDTH\\s+(\\d{1,10})").matcher(text);
            java.util.regex.Matcher height = java.util.regex.Pattern.compile("(?m)^HEIGHT\\s+(\\d{1,10})").matcher(text);
            return width.find() && height.find()
                    ? new ImageHeader(clamp(Long.parseLong(width.group(1))), clamp(Long.parseLong(height.group(1)))) : null;
        }
        long[] size = new long[2];
        int i = 2;
        for (int n = 0; n < 2; n++) {
            while (i < d.length && (Character.isWhitespace(d[i]) || d[i] == '#')) {
                if (d[i] == '#') {
                    while (i < d.length && d[i] != '\n' && d[i] != '\r') {
                        i++;
                    }
                } else {
                    i++;
                }
            }
            int start = i;
            while (i < d.length && d[i] >= '0' && d[i] <= '9' && i - start < 10) {
                size[n] = size[n] * 10 + (d[i] - '0');
                i++;
            }
            if (i == start) {
                return null;
            }
        }
        return new ImageHeader(clamp(size[0]), clamp(size[1]));
    }

    /** A raw codestream's SIZ segment, or a JP2 file's 'ihdr' box. */
    private static ImageHeader jpeg2000(byte[] d) {
        if (d.length >= 24 && (d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0x4F) {
            long width = (s32be(d, 8) & 0xFFFFFFFFL) - (s32be(d, 16) & 0xFFFFFFFFL);
            long height = (s32be(d, 12) & 0xFFFFFFFFL) - (s32be(d, 20) & 0xFFFFFFFFL);
            return new ImageHeader(clamp(width), clamp(height));
        }
        for (int i = 0; i + 12 <= Math.min(d.length, 4096); i++) {
            if (d[i] == 'i' && d[i + 1] == 'h' && d[i + 2] == 'd' && d[i + 3] == 'r') {
                return new ImageHeader(clamp(s32be(d, i + 8) & 0xFFFFFFFFL), clamp(s32be(d, i + 4) & 0xFFFFFFFFL));
            }
        }
        return null;
    }

    private static int clamp(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    /** TIFF's header is a chain of directories; the JDK's reader walks it without decoding pixels. */
    private static ImageHeader viaImageIo(byte[] data) {
        // An in-memory stream: ImageIO's default would cache the bytes in a temporary file.
        try (ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new ImageHeader(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int u16be(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    private static int s32be(byte[] d, int i) {
        return (d[i] & 0xFF) << 24 | (d[i + 1] & 0xFF) << 16 | (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
    }

    private static int u16le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8;
    }

    private static int u24le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF) << 16;
    }

    private static int s32le(byte[] d, int i) {
        return (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF) << 16 | (d[i + 3] & 0xFF) << 24;
    }
}
