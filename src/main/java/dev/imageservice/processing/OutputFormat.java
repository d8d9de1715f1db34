package dev.imageservice.processing;

import java.util.Locale;

/** The encodings the processor writes. */
public enum OutputFormat {
    /** Lossless, 8- or 16-bit, any channel count: the tutorial's output and the default. */
    PNG("image/png", "png", 0),
    /** Lossy, 8-bit, no alpha; at most 65535 pixels a side. */
    JPEG("image/jpeg", "jpg", 65_535),
    /** Lossy, 8-bit, with alpha; at most 16383 pixels a side (the format's limit). */
    WEBP("image/webp", "webp", 16_383);

    /** Quality when none is asked for, as sharp and imgproxy. */
    public static final int DEFAULT_QUALITY = 80;

    private final String contentType;
    private final String extension;
    private final int maxSide;

    OutputFormat(String contentType, String extension, int maxSide) {
        this.contentType = contentType;
        this.extension = extension;
        this.maxSide = maxSide;
    }

    public String contentType() {
        return contentType;
    }

    /** File name extension without the dot. */
    public String extension() {
        return extension;
    }

    /** Largest width or height the format can hold; 0 when only the pixel limit applies. */
    public int maxSide() {
        return maxSide;
    }

    public boolean lossy() {
        return this != PNG;
    }

    /** Lower case, as the HTTP API and the client spell it: "png", "jpeg", "webp". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
