package dev.imageservice.processing.format;

/**
 * Why an image is refused from its first bytes, before any decoding. The message is public: it is
 * shown to clients as it is.
 */
public final class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Reason {
        /** No image format we know of starts this way. */
        UNRECOGNISED,
        /** A format the service does not read (GIF, HEIF/AVIF, Radiance HDR). */
        UNSUPPORTED,
        /** A recognised format whose header is missing or impossible. */
        CORRUPT,
        /** The file ends before the image does. */
        TRUNCATED
    }

    private final Reason reason;

    FormatException(Reason reason, String publicMessage) {
        super(publicMessage);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static FormatException corrupt(ImageFormat format, String why) {
        return new FormatException(Reason.CORRUPT,
                "could not decode the image: corrupt " + format.displayName() + " data (" + why + ")");
    }
}
