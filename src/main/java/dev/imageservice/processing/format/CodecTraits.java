package dev.imageservice.processing.format;

/**
 * What a format's header says about how its pixels are coded (bit depth, colour type, subsampling,
 * ...), so that a decoder can choose its path without reading the header again.
 */
public sealed interface CodecTraits
        permits JpegTraits, PngTraits, WebpTraits, TiffTraits, BmpTraits, PnmTraits, Jpeg2000Traits {
}
