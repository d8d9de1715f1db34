package dev.imageservice.processing.format;

/**
 * What a JPEG 2000 header says.
 *
 * @param codestream a bare codestream (.j2k) rather than a JP2 file (.jp2)
 * @param components number of components
 * @param bitDepth   bits of the first component (0 when the JP2 header says they vary)
 */
public record Jpeg2000Traits(boolean codestream, int components, int bitDepth) implements CodecTraits {
}
