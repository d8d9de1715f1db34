package dev.imageservice.processing;

/**
 * Why an image could not be processed, in terms every transport can map to its own status codes.
 * The message is public: it is shown to clients as it is, so it never holds a stack trace, a class
 * name or a native library's text.
 */
public final class ImageProcessingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure; each transport maps every kind to a status in exactly one place. */
    public enum Kind {
        /** Empty, undecodable or corrupt input. */
        INVALID_IMAGE,
        /** Options that make no sense, or not for this image (crop outside it, a result over the pixel limit). */
        INVALID_OPTIONS,
        /** A format, or a pixel type, that the service cannot process faithfully. */
        UNSUPPORTED_FORMAT,
        /** More input bytes than the configured limit. */
        TOO_MANY_BYTES,
        /** More decoded pixels than the configured limit (known from the header, before decoding). */
        TOO_MANY_PIXELS,
        /** No capacity: the admission queue is full, or the request waited longer than allowed. */
        OVERLOADED,
        /** The service is shutting down and takes no more work; the caller should go elsewhere. */
        SHUTTING_DOWN,
        /** The caller's deadline passed before the image could be processed. */
        DEADLINE_EXCEEDED,
        /** The caller went away (cancelled the call, closed the connection); nobody is waiting. */
        CANCELLED,
        /** A bug or an unexpected failure of a codec; the public message carries an id only. */
        INTERNAL
    }

    private final Kind kind;

    public ImageProcessingException(Kind kind, String publicMessage) {
        super(publicMessage);
        this.kind = kind;
    }

    public ImageProcessingException(Kind kind, String publicMessage, Throwable cause) {
        super(publicMessage, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ImageProcessingException invalid(String message) {
        return new ImageProcessingException(Kind.INVALID_IMAGE, message);
    }

    /** An upload refused while it is still arriving: its full size is not known, only that it is too much. */
    public static ImageProcessingException tooManyBytes(long limit) {
        return new ImageProcessingException(Kind.TOO_MANY_BYTES,
                "the image is larger than the limit of " + limit + " bytes (" + Limits.bytes(limit) + ")");
    }

    /** Bad processing options; the message names the parameter. */
    public static ImageProcessingException invalidOptions(String message) {
        return new ImageProcessingException(Kind.INVALID_OPTIONS, message);
    }

    public static ImageProcessingException unsupported(String message) {
        return new ImageProcessingException(Kind.UNSUPPORTED_FORMAT, message);
    }
}
