package dev.imageservice.processing.codec;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.processing.format.ImageHeader;
import dev.imageservice.processing.format.JpegTraits;
import java.util.Locale;
import java.util.Objects;
import org.opencv.core.Mat;

/**
 * Decodes JPEGs through libjpeg-turbo's TurboJPEG API (SIMD) straight into the Mat's native
 * memory, as interleaved B,G,R (or gray) bytes: no scanline callbacks, no intermediate copy. The
 * JPEG bytes and large images' pixels live in native memory each thread keeps ({@link ReusedNativeMemory}).
 * Everything else goes to the fallback decoder (OpenCV).
 *
 * <p>Same pixels as OpenCV: OpenCV's bundled libjpeg-turbo and Debian's use the same algorithms
 * (ISLOW integer IDCT, fancy upsampling, libjpeg's colour conversion); SIMD changes the speed, not
 * the result. FastDecoderTest checks it for every kind this decoder accepts: YCbCr and gray,
 * baseline and progressive, every chroma subsampling, restart markers, odd sizes, ICC profiles
 * (ignored by both). Other colour spaces (CMYK, YCCK, Adobe RGB) go to the fallback.
 *
 * <p>Damaged data: the decode stops at libjpeg's first warning. A JPEG whose entropy data ends
 * before its frame is complete ("premature end of data") is refused as truncated, before the rest
 * of the frame is decoded: libjpeg would fill it with grey and OpenCV would report success. Other
 * warnings (corrupt bytes inside the data) hand the file to the fallback, so the answer to a
 * damaged file is exactly the stock one.
 */
public final class TurboJpegDecoder implements ImageDecoder {
    private static final int FLAGS = TurboJpeg.FLAG_STOPONWARNING | TurboJpeg.FLAG_LIMITSCANS;

    private final ImageDecoder fallback;

    /** @throws IllegalStateException where libturbojpeg.so.0 is missing ({@link Codecs#fullSpeed()} is false) */
    public TurboJpegDecoder(ImageDecoder fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        if (!TurboJpeg.available()) {
            throw new IllegalStateException("TurboJPEG is not available: " + TurboJpeg.load().orElse(""));
        }
    }

    @Override
    public Mat decode(byte[] data, ImageHeader header) {
        if (header.format() == ImageFormat.JPEG) {
            Mat decoded = decodeJpeg(data, 1);
            if (decoded != null) {
                return decoded;
            }
        }
        return fallback.decode(data, header);
    }

    /**
     * The 8-bit YCbCr and gray JPEGs this decoder reads itself, within {@link ReusedNativeMemory}'s
     * kept range (a colour image of up to 21 MP).
     */
    @Override
    public boolean decodesIntoKeptMemory(ImageHeader header) {
        if (header.format() != ImageFormat.JPEG || !(header.traits() instanceof JpegTraits traits)
                || traits.precision() != 8 || traits.lossless() || traits.adobeTransform() == 0
                || traits.adobeTransform() == 2) {
            return false;
        }
        int channels = traits.components().size();
        return (channels == 3 || channels == 1) && ReusedNativeMemory.keepsPixels(header.pixels() * channels);
    }

    /**
     * Decodes a JPEG shrunk by {@code 1/denominator} (1, 2, 4 or 8) in the IDCT, which costs a
     * fraction of a full decode (shrink-on-load); the size is rounded up as libjpeg does,
     * {@code ceil(width / denominator)}. Falls back to the full-size fallback decode for the JPEGs
     * this decoder leaves to it, so callers check the returned size.
     */
    public Mat decodeScaled(byte[] data, ImageHeader header, int denominator) {
        if (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8) {
            throw new IllegalArgumentException("scale 1/" + denominator + " is not 1/1, 1/2, 1/4 or 1/8");
        }
        if (header.format() == ImageFormat.JPEG) {
            Mat decoded = decodeJpeg(data, denominator);
            if (decoded != null) {
                return decoded;
            }
        }
        return fallback.decode(data, header);
    }

    /**
     * Bytes a decode of this size holds at most: the output pixels, plus for a progressive JPEG
     * libjpeg's whole-image coefficient buffer (2 bytes a coefficient, at most 3 full-resolution
     * components), plus row buffers.
     */
    public static long workingBytes(int width, int height, int channels) {
        long pixels = (long) width * height;
        return pixels * channels + pixels * 3 * 2 + (long) width * 3 * 16 * 4;
    }

    /**
     * The JPEG at 1/denominator through TurboJPEG (SIMD), or null where the library is missing or
     * leaves this JPEG to OpenCV (shrink-on-load's fast path).
     */
    static Mat decodeScaledOrNull(byte[] data, int denominator) {
        return TurboJpeg.available() ? decodeJpeg(data, denominator) : null;
    }

    /** OpenCV's pixels for this JPEG, or null to leave it to the fallback. */
    private static Mat decodeJpeg(byte[] data, int denominator) {
        Pointer handle = TurboJpeg.acquire();
        boolean clean = false;
        try {
            int[] width = new int[1];
            int[] height = new int[1];
            int[] subsampling = new int[1];
            int[] colorspace = new int[1];
            ReusedNativeMemory kept = ReusedNativeMemory.forThisThread();
            Memory jpeg = kept.input(data);
            int header = jpeg != null
                    ? TurboJpeg.tjDecompressHeader3(handle, jpeg, data.length, width, height, subsampling, colorspace)
                    : TurboJpeg.tjDecompressHeader3(handle, data, data.length, width, height, subsampling, colorspace);
            if (header != 0) {
                return null; // not a JPEG libjpeg-turbo reads (12-bit, lossless, odd sampling): the fallback decides
            }
            int channels = switch (colorspace[0]) {
                case TurboJpeg.CS_YCBCR -> 3;
                case TurboJpeg.CS_GRAY -> 1;
                default -> 0; // RGB, CMYK, YCCK: OpenCV converts these its own way
            };
            if (channels == 0) {
                clean = true;
                return null;
            }
            int w = (width[0] + denominator - 1) / denominator;
            int h = (height[0] + denominator - 1) / denominator;
            Mat mat = kept.pixels(h, w, channels);
            boolean done = false;
            try {
                int format = channels == 3 ? TurboJpeg.PF_BGR : TurboJpeg.PF_GRAY;
                int result = jpeg != null
                        ? TurboJpeg.tjDecompress2(handle, jpeg, data.length, mat.dataAddr(), w, w * channels, h, format, FLAGS)
                        : TurboJpeg.tjDecompress2(handle, data, data.length, mat.dataAddr(), w, w * channels, h, format, FLAGS);
                if (result == 0) {
                    done = true;
                    clean = true;
                    return mat;
                }
                refuseIfTruncated(handle, data.length);
                return null;
            } finally {
                if (!done) {
                    mat.release();
                }
            }
        } finally {
            TurboJpeg.release(handle, clean);
        }
    }

    private static void refuseIfTruncated(Pointer handle, int size) {
        String message = TurboJpeg.error(handle);
        String lower = message.toLowerCase(Locale.ROOT);
        if (TurboJpeg.tjGetErrorCode(handle) == TurboJpeg.ERR_WARNING && lower.contains("premature end")) {
            // "Premature end of JPEG file" / "Corrupt JPEG data: premature end of data segment"
            throw ImageProcessingException.invalid("the JPEG image is truncated (" + size
                    + " bytes): its data ends before the frame is complete");
        }
        if (lower.contains("more than") && lower.contains("scans")) {
            throw ImageProcessingException.invalid("the JPEG image has too many progressive scans");
        }
    }
}
