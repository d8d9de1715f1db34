package dev.imageservice.processing;

/**
 * Image container formats, recognised from their first bytes (magic numbers). Used to give a clear
 * answer for formats we do not read, instead of a generic "undecodable".
 */
public enum ImageFormat {
    JPEG("JPEG", true),
    PNG("PNG", true),
    WEBP("WebP", true),
    TIFF("TIFF", true),
    BMP("BMP", true),
    PNM("PNM", true),
    JPEG2000("JPEG 2000", true),
    /** Floating-point samples: refused before decoding, as the decoder would refuse its pixels anyway. */
    HDR("Radiance HDR (floating-point)", false),
    GIF("GIF", false),
    HEIF("HEIF/AVIF", false),
    UNKNOWN("unknown", true);

    private final String displayName;
    private final boolean readable;

    ImageFormat(String displayName, boolean readable) {
        this.displayName = displayName;
        this.readable = readable;
    }

    public String displayName() {
        return displayName;
    }

    /** Whether the service's decoders read this format; UNKNOWN is left to the decoder to judge. */
    public boolean readable() {
        return readable;
    }

    /** Recognises the format from the first bytes of an encoded image. */
    public static ImageFormat sniff(byte[] data) {
        if (startsWith(data, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(data, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(data, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(data, 'R', 'I', 'F', 'F') && data.length >= 12
                && data[8] == 'W' && data[9] == 'E' && data[10] == 'B' && data[11] == 'P') {
            return WEBP;
        }
        if (startsWith(data, 'I', 'I', 0x2A, 0x00) || startsWith(data, 'M', 'M', 0x00, 0x2A)) {
            return TIFF;
        }
        if (startsWith(data, 'B', 'M')) {
            return BMP;
        }
        if (data.length >= 2 && data[0] == 'P' && data[1] >= '1' && data[1] <= '7') {
            return PNM;
        }
        if (startsWith(data, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || startsWith(data, 0xFF, 0x4F, 0xFF, 0x51)) {
            return JPEG2000;
        }
        if (startsWith(data, '#', '?')) {
            return HDR;
        }
        if (data.length >= 12 && data[4] == 'f' && data[5] == 't' && data[6] == 'y' && data[7] == 'p') {
            return HEIF;
        }
        return UNKNOWN;
    }

    private static boolean startsWith(byte[] data, int... magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
