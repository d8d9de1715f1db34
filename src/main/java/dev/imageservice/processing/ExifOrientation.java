package dev.imageservice.processing;

import dev.imageservice.processing.format.ImageFormat;
import com.drew.imaging.FileType;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * The EXIF orientation tag (1-8) of an encoded image, read with metadata-extractor: from a JPEG's
 * APP1 segment, a PNG's eXIf chunk, a WebP's EXIF chunk or a TIFF's first directory. 1 (upright)
 * when there is none, or when the metadata cannot be read: a broken tag never fails a request.
 */
public final class ExifOrientation {
    /** Upright: nothing to do. */
    public static final int NORMAL = 1;

    private ExifOrientation() {
    }

    public static int of(byte[] data, ImageFormat format) {
        int orientation = read(data, format);
        return orientation == 0 ? NORMAL : orientation;
    }

    /** The orientation, or 0 when the metadata could not be read (e.g. the data is cut short). */
    static int read(byte[] data, ImageFormat format) {
        try {
            Metadata metadata = switch (format) {
                // Only the EXIF segment: skips parsing XMP, ICC and the rest of the metadata.
                case JPEG -> JpegMetadataReader.readMetadata(new ByteArrayInputStream(data), List.of(new ExifReader()));
                case PNG -> ImageMetadataReader.readMetadata(new ByteArrayInputStream(data), data.length, FileType.Png);
                case WEBP -> ImageMetadataReader.readMetadata(new ByteArrayInputStream(data), data.length, FileType.WebP);
                case TIFF -> ImageMetadataReader.readMetadata(new ByteArrayInputStream(data), data.length, FileType.Tiff);
                default -> null;
            };
            if (metadata == null) {
                return NORMAL;
            }
            if (metadata.hasErrors()) {
                return 0;
            }
            for (ExifIFD0Directory directory : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
                Integer orientation = directory.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
                if (orientation != null && orientation >= 1 && orientation <= 8) {
                    return orientation;
                }
            }
            return NORMAL;
        } catch (Exception | StackOverflowError e) {
            return 0; // unreadable metadata: the pixels are still fine, show them as stored
        }
    }
}
