package dev.imageservice.processing.format;

/**
 * A PNG's IHDR fields.
 *
 * @param bitDepth   bits per sample (or per palette index): 1, 2, 4, 8 or 16
 * @param colourType 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA
 * @param interlaced Adam7 interlacing
 */
public record PngTraits(int bitDepth, int colourType, boolean interlaced) implements CodecTraits {

    public boolean alpha() {
        return colourType == 4 || colourType == 6;
    }
}
