package dev.imageservice.processing.codec;

import dev.imageservice.processing.Dimensions;
import dev.imageservice.processing.format.ImageFormat;
import org.opencv.core.CvException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Decodes a JPEG at 1/2, 1/4 or 1/8 of its size with libjpeg's DCT scaling (as libvips'
 * shrink-on-load does): only the needed frequencies are computed, so a 12 MP photo meant for an
 * 800x600 thumbnail costs a fraction of a full decode. Through TurboJPEG (SIMD) where it reads the
 * JPEG, else OpenCV's IMREAD_REDUCED_*. Other formats have no such shortcut.
 */
public final class ShrinkOnLoad {

    private ShrinkOnLoad() {
    }

    /** The factor (1, 2, 4 or 8) to decode {@code format} at for a resample {@code shrink} times smaller. */
    public static int factor(ImageFormat format, double shrink) {
        if (format != ImageFormat.JPEG) {
            return 1;
        }
        for (int factor = 8; factor > 1; factor /= 2) {
            if (shrink >= factor) {
                return factor;
            }
        }
        return 1;
    }

    /** The size libjpeg gives a JPEG of {@code full} at 1/factor: rounded up. */
    public static Dimensions reduced(Dimensions full, int factor) {
        return new Dimensions((full.width() + factor - 1) / factor, (full.height() + factor - 1) / factor);
    }

    /**
     * The JPEG decoded at 1/factor, in the channels a full decode gives (gray stays gray), or null
     * when OpenCV cannot (the caller then decodes in full).
     */
    public static Mat decode(byte[] data, int factor) {
        if (factor != 2 && factor != 4 && factor != 8) {
            throw new IllegalArgumentException("factor must be 2, 4 or 8, not " + factor);
        }
        // libjpeg-turbo with SIMD where it reads this JPEG: the same scaled IDCT as OpenCV's
        // bundled libjpeg (same pixels, TurboJpegDecoderTest), without its per-row overhead.
        Mat fast = TurboJpegDecoder.decodeScaledOrNull(data, factor);
        if (fast != null) {
            return fast;
        }
        boolean gray = JpegFrame.components(data) == 1;
        int flags = switch (factor) {
            case 2 -> gray ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_2 : Imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> gray ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_4 : Imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> gray ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_8 : Imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> throw new IllegalArgumentException("factor must be 2, 4 or 8, not " + factor);
        };
        MatOfByte encoded = new MatOfByte(data);
        try {
            // As stored: orientation is an operation of its own (auto-orient), never implied.
            Mat decoded = Imgcodecs.imdecode(encoded, flags | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
            if (decoded.empty()) {
                decoded.release();
                return null;
            }
            return decoded;
        } catch (CvException e) {
            return null;
        } finally {
            encoded.release();
        }
    }

    /** The number of colour components in a JPEG's frame header (0 when not found). */
    static final class JpegFrame {
        private JpegFrame() {
        }

        static int components(byte[] d) {
            int i = 2;
            while (i + 9 < d.length) {
                if ((d[i] & 0xFF) != 0xFF) {
                    return 0;
                }
                int marker = d[i + 1] & 0xFF;
                if (marker == 0xFF) {
                    i++; // fill byte
                    continue;
                }
                int length = ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
                boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (frame) {
                    return d[i + 9] & 0xFF;
                }
                if (marker == 0xDA || length < 2) {
                    return 0;
                }
                i += 2 + length;
            }
            return 0;
        }
    }
}
