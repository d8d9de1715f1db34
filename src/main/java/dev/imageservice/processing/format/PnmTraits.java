package dev.imageservice.processing.format;

/**
 * A Netpbm header.
 *
 * @param variant  the digit after 'P': 1-3 plain (text) PBM/PGM/PPM, 4-6 raw, 7 PAM
 * @param maxValue the largest sample value (1 for PBM; -1 when the header ends before it): above
 *                 255, samples are 16-bit
 * @param depth    samples per pixel (PAM's DEPTH; 3 for PPM, else 1)
 */
public record PnmTraits(int variant, int maxValue, int depth) implements CodecTraits {
}
