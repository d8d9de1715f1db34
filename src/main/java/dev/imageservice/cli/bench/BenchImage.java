package dev.imageservice.cli.bench;

import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.processing.format.FormatException;
import dev.imageservice.processing.format.ImageHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One image that the load generator sends, read once into memory. Its width and height are read
 * from the file header by the service's own probe (no decode), so that responses can be checked to
 * be a PNG of the same size; they are -1 for a file the probe refuses.
 */
public record BenchImage(String name, byte[] data, String mediaType, int width, int height) {

    /** Reads an image file; the message of the exception is for the user. */
    public static BenchImage load(Path path) {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + path + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
        }
        if (data.length == 0) {
            throw new IllegalArgumentException(path + " is empty");
        }
        return of(path.getFileName().toString(), data);
    }

    /** An image held in memory under a display name. */
    public static BenchImage of(String name, byte[] data) {
        int[] size = headerSize(data);
        return new BenchImage(name, data, mediaType(FormatProbe.sniff(data)), size[0], size[1]);
    }

    /** Whether the expected output size is known. */
    public boolean sizeKnown() {
        return width > 0 && height > 0;
    }

    static String mediaType(ImageFormat format) {
        return switch (format) {
            case JPEG -> "image/jpeg";
            case PNG -> "image/png";
            case WEBP -> "image/webp";
            case TIFF -> "image/tiff";
            case BMP -> "image/bmp";
            case GIF -> "image/gif";
            case PNM -> "image/x-portable-anymap";
            case JPEG2000 -> "image/jp2";
            case HDR -> "image/vnd.radiance";
            case HEIF -> "image/heif";
            case UNKNOWN -> "application/octet-stream";
        };
    }

    private static int[] headerSize(byte[] data) {
        try {
            ImageHeader header = FormatProbe.probe(data);
            return new int[] {header.width(), header.height()};
        } catch (FormatException e) {
            // Not fatal: the server will say what is wrong with it; only the size check is lost.
            return new int[] {-1, -1};
        }
    }
}
