package dev.imageservice.processing.format;

/**
 * Image container formats, as {@link FormatProbe} recognises them from their first bytes. Which of
 * them the service reads is the probe's decision, not a property of the format.
 */
public enum ImageFormat {
    JPEG("JPEG"),
    PNG("PNG"),
    WEBP("WebP"),
    TIFF("TIFF"),
    BMP("BMP"),
    PNM("PNM"),
    JPEG2000("JPEG 2000"),
    HDR("Radiance HDR (floating-point)"),
    GIF("GIF"),
    HEIF("HEIF/AVIF"),
    UNKNOWN("unknown");

    private final String displayName;

    ImageFormat(String displayName) {
        this.displayName = displayName;
    }

    /** The name shown to clients, e.g. in "unsupported image format: GIF". */
    public String displayName() {
        return displayName;
    }
}
