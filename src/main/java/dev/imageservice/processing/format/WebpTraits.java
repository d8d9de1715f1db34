package dev.imageservice.processing.format;

/**
 * What a WebP's first chunk says.
 *
 * @param kind     VP8 (lossy), VP8L (lossless) or VP8X (extended: alpha, animation, metadata)
 * @param alpha    the image has an alpha channel
 * @param animated the file is an animation (VP8X's animation flag)
 */
public record WebpTraits(Kind kind, boolean alpha, boolean animated) implements CodecTraits {

    /** The first chunk's type. */
    public enum Kind { LOSSY, LOSSLESS, EXTENDED }
}
