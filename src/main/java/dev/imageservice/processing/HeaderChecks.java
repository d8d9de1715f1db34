package dev.imageservice.processing;

import dev.imageservice.processing.format.FormatException;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.processing.format.ImageHeader;

/**
 * The checks made from an image's header before it waits for admission: one probe (format,
 * dimensions, traits), the pixel count against the limit, then completeness. A file that lies
 * about its size in a way the probe cannot see is caught again after decoding ({@link #checkPixels}).
 */
final class HeaderChecks {
    private HeaderChecks() {
    }

    /** @throws ImageProcessingException when the image is refused from its header */
    static ImageHeader check(EncodedImage input, Limits limits) {
        try {
            ImageHeader header = FormatProbe.probe(input);
            checkPixels(header.width(), header.height(), limits);
            return header.requireComplete();
        } catch (FormatException e) {
            throw new ImageProcessingException(e.reason() == FormatException.Reason.UNSUPPORTED
                    ? ImageProcessingException.Kind.UNSUPPORTED_FORMAT : ImageProcessingException.Kind.INVALID_IMAGE,
                    e.getMessage());
        }
    }

    /** @return the pixel count; @throws ImageProcessingException (TOO_MANY_PIXELS) above the limit */
    static long checkPixels(int width, int height, Limits limits) {
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageProcessingException(ImageProcessingException.Kind.TOO_MANY_PIXELS,
                    "the image is " + width + "x" + height + " = " + Limits.megapixels(pixels)
                            + "; the limit is " + Limits.megapixels(limits.maxPixels()));
        }
        return pixels;
    }
}
