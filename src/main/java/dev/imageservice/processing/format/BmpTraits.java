package dev.imageservice.processing.format;

/**
 * A BMP's info header.
 *
 * @param headerSize   the info header's size (12 for OS/2 1.x, 40 and up for Windows versions)
 * @param bitsPerPixel 1, 4, 8, 16, 24 or 32
 * @param compression  0 none, 1 RLE8, 2 RLE4, 3 bit fields, ... (always 0 for OS/2 1.x)
 * @param topDown      rows are stored top to bottom (a negative height in the header)
 */
public record BmpTraits(int headerSize, int bitsPerPixel, int compression, boolean topDown) implements CodecTraits {
}
