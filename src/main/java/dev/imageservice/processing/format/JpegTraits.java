package dev.imageservice.processing.format;

import java.util.List;

/**
 * A JPEG's frame header and the markers before its first scan.
 *
 * @param frameMarker     the SOFn marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...)
 * @param precision       bits per sample (8 for nearly every JPEG; 12 and 16 exist)
 * @param components      the frame's components in order, with their sampling factors
 * @param restartInterval MCUs between restart markers (DRI), 0 without restart markers
 * @param jfif            an APP0 JFIF marker is present (libjpeg then takes 3 components as YCbCr)
 * @param adobeTransform  the APP14 Adobe marker's colour transform (0 none/RGB/CMYK, 1 YCbCr,
 *                        2 YCCK), or -1 without an Adobe marker
 * @param iccProfile      an APP2 ICC profile is present
 * @param scanFound       the markers were read up to the first scan (false: the data ended first)
 * @param wellFormed      every segment up to the first scan has a sane length and follows the last
 *                        directly (libjpeg skips stray bytes with a warning; fast paths should not)
 */
public record JpegTraits(int frameMarker, int precision, List<Component> components, int restartInterval,
        boolean jfif, int adobeTransform, boolean iccProfile, boolean scanFound, boolean wellFormed)
        implements CodecTraits {

    /** One component of the frame: its id and sampling factors. */
    public record Component(int id, int horizontalSampling, int verticalSampling) {
    }

    public JpegTraits {
        components = List.copyOf(components);
    }

    /** Huffman-coded baseline or extended sequential: the most common JPEGs. */
    public boolean sequentialHuffman() {
        return frameMarker == 0xC0 || frameMarker == 0xC1;
    }

    public boolean progressive() {
        return frameMarker == 0xC2 || frameMarker == 0xC6 || frameMarker == 0xCA || frameMarker == 0xCE;
    }

    public boolean lossless() {
        return frameMarker == 0xC3 || frameMarker == 0xC7 || frameMarker == 0xCB || frameMarker == 0xCF;
    }

    public boolean arithmetic() {
        return frameMarker >= 0xC9;
    }

    /**
     * The chroma subsampling of a three-component image ("4:4:4", "4:2:2", "4:2:0", "4:1:1",
     * "4:4:0", or "other"); "gray" for one component, "other" for four.
     */
    public String subsampling() {
        if (components.size() == 1) {
            return "gray";
        }
        if (components.size() != 3) {
            return "other";
        }
        Component luma = components.get(0);
        Component cb = components.get(1);
        Component cr = components.get(2);
        if (cb.horizontalSampling != cr.horizontalSampling || cb.verticalSampling != cr.verticalSampling
                || cb.horizontalSampling == 0 || cb.verticalSampling == 0
                || luma.horizontalSampling % cb.horizontalSampling != 0 || luma.verticalSampling % cb.verticalSampling != 0) {
            return "other";
        }
        int h = luma.horizontalSampling / cb.horizontalSampling;
        int v = luma.verticalSampling / cb.verticalSampling;
        return switch (h * 10 + v) {
            case 11 -> "4:4:4";
            case 21 -> "4:2:2";
            case 22 -> "4:2:0";
            case 41 -> "4:1:1";
            case 12 -> "4:4:0";
            default -> "other";
        };
    }
}
