package dev.imageservice.processing.format;

/**
 * What a TIFF's first image directory says about its samples.
 *
 * @param littleEndian    byte order "II" (true) or "MM"
 * @param compression     1 none, 5 LZW, 7 JPEG, 8 deflate, 32773 PackBits, ... (1 when absent)
 * @param samplesPerPixel samples per pixel (1 when absent)
 * @param bitsPerSample   bits of the first sample (1 when absent)
 * @param sampleFormat    1 unsigned integer, 2 signed integer, 3 floating point (1 when absent)
 */
public record TiffTraits(boolean littleEndian, int compression, int samplesPerPixel, int bitsPerSample, int sampleFormat)
        implements CodecTraits {

    public boolean floatingPoint() {
        return sampleFormat == 3;
    }
}
