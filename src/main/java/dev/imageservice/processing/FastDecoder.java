package dev.imageservice.processing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStreamImpl;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Decodes the JPEGs it can decode exactly as OpenCV would through the JDK's JPEG reader, and
 * everything else through the fallback decoder (OpenCV). The service uses it only where
 * {@code libturbojpeg.so.0} is missing ({@link TurboJpegDecoder} is faster still).
 *
 * <p>Why: openpnp's OpenCV bundles a libjpeg-turbo built without SIMD, while Debian's OpenJDK links
 * the JDK's JPEG reader against the system libjpeg-turbo, which has it: the same algorithms
 * (integer IDCT, fancy upsampling), so the same pixels, in ~60% of the time. On a JDK that bundles
 * its own libjpeg this is not faster, and {@link Codecs#OPENCV} is the switch back.
 *
 * <p>Only plain JPEGs take the fast path: 8-bit baseline or progressive Huffman-coded, gray or
 * YCbCr (per JFIF, or by component ids 1,2,3 as libjpeg guesses), without an ICC profile (the JDK
 * reader converts colours to sRGB by it, OpenCV does not). Anything the JDK reader fails on or
 * warns about (corrupt data) is decoded by the fallback too, so the answer to a damaged file is
 * exactly the stock one.
 */
public final class FastDecoder implements ImageDecoder {
    private final ImageDecoder fallback;
    private final ImageReaderSpi jpegReader;

    public FastDecoder(ImageDecoder fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.jpegReader = jdkJpegReader();
    }

    @Override
    public Mat decode(byte[] data, ImageFormat format) {
        if (format == ImageFormat.JPEG && jpegReader != null && JpegMarkers.plain(data)) {
            Mat decoded = decodeJpeg(data);
            if (decoded != null) {
                return decoded;
            }
        }
        return fallback.decode(data, format);
    }

    /** The pixels as OpenCV would decode them, or null to leave this image to the fallback. */
    private Mat decodeJpeg(byte[] data) {
        BufferedImage image;
        ImageReader reader;
        try {
            reader = jpegReader.createReaderInstance();
        } catch (IOException e) {
            return null;
        }
        boolean[] warned = {false};
        boolean[] endedEarly = {false};
        try (ByteArrayImageInputStream in = new ByteArrayImageInputStream(data)) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> {
                warned[0] = true;
                endedEarly[0] |= warning != null && warning.toLowerCase(java.util.Locale.ROOT).contains("premature end");
            });
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            reader.dispose();
        }
        if (endedEarly[0]) {
            // libjpeg filled the rest of the frame with grey; OpenCV would call that a success.
            throw ImageProcessingException.invalid("the JPEG image is truncated (" + data.length
                    + " bytes): its data ends before the frame is complete");
        }
        if (warned[0]) {
            return null;
        }
        int channels = switch (image.getType()) {
            case BufferedImage.TYPE_3BYTE_BGR -> 3;
            case BufferedImage.TYPE_BYTE_GRAY -> 1;
            default -> 0;
        };
        Raster raster = image.getRaster();
        if (channels == 0 || !tightlyPacked(raster, channels)) {
            return null;
        }
        byte[] pixels = ((DataBufferByte) raster.getDataBuffer()).getData();
        // TYPE_3BYTE_BGR holds B,G,R per pixel: OpenCV's order, so one bulk copy makes the Mat.
        Mat mat = new Mat(image.getHeight(), image.getWidth(), CvType.makeType(CvType.CV_8U, channels));
        mat.put(0, 0, pixels);
        return mat;
    }

    private static boolean tightlyPacked(Raster raster, int channels) {
        if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                || buffer.getOffset() != 0 || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0
                || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel model)) {
            return false;
        }
        int[] expectedOffsets = channels == 3 ? new int[] {2, 1, 0} : new int[] {0};
        return model.getPixelStride() == channels && model.getScanlineStride() == raster.getWidth() * channels
                && Arrays.equals(model.getBandOffsets(), expectedOffsets)
                && buffer.getData().length == raster.getWidth() * raster.getHeight() * channels;
    }

    /** The JDK's own reader only: another plugin on the classpath may decode differently. */
    private static ImageReaderSpi jdkJpegReader() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            ImageReaderSpi spi = reader.getOriginatingProvider();
            reader.dispose();
            if (spi != null && spi.getClass().getName().startsWith("com.sun.imageio.plugins.jpeg.")) {
                return spi;
            }
        }
        return null;
    }

    /**
     * Reads the request's bytes in place. ImageIO.createImageInputStream would wrap them in a stream
     * that caches to a temporary file by default.
     */
    private static final class ByteArrayImageInputStream extends ImageInputStreamImpl {
        private final byte[] data;

        ByteArrayImageInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            bitOffset = 0;
            return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            bitOffset = 0;
            if (len == 0) {
                return 0;
            }
            int n = (int) Math.min(len, data.length - streamPos);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return data.length;
        }
    }

    /** What the JPEG's markers say, read up to the first scan without decoding anything. */
    static final class JpegMarkers {
        private JpegMarkers() {
        }

        /** True for the JPEGs the JDK reader decodes exactly as libjpeg does under OpenCV. */
        static boolean plain(byte[] d) {
            boolean jfif = false;
            boolean adobe = false;
            boolean icc = false;
            int components = 0;
            int[] ids = null;
            int i = 2;
            while (i + 3 < d.length) {
                if ((d[i] & 0xFF) != 0xFF) {
                    return false;
                }
                int marker = d[i + 1] & 0xFF;
                if (marker == 0xFF) {
                    i++;
                    continue;
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    i += 2;
                    continue;
                }
                if (marker == 0xD9) {
                    return false;
                }
                int length = (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
                int body = i + 4;
                int end = i + 2 + length;
                if (length < 2 || end > d.length) {
                    return false;
                }
                if (marker == 0xDA) {
                    break;
                }
                if (marker == 0xE0 && startsWith(d, body, end, "JFIF\0")) {
                    jfif = true;
                } else if (marker == 0xEE && startsWith(d, body, end, "Adobe")) {
                    adobe = true;
                } else if (marker == 0xE2 && startsWith(d, body, end, "ICC_PROFILE\0")) {
                    icc = true;
                } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    // Baseline, extended or progressive Huffman only; not lossless, not arithmetic.
                    if (components != 0 || (marker != 0xC0 && marker != 0xC1 && marker != 0xC2)
                            || length < 8 || (d[body] & 0xFF) != 8) {
                        return false;
                    }
                    components = d[body + 5] & 0xFF;
                    if (length < 8 + 3 * components) {
                        return false;
                    }
                    ids = new int[components];
                    for (int c = 0; c < components; c++) {
                        ids[c] = d[body + 6 + 3 * c] & 0xFF;
                    }
                }
                i = end;
            }
            if (icc || ids == null) {
                return false;
            }
            if (components == 1) {
                return true;
            }
            // libjpeg takes JFIF to mean YCbCr, then an Adobe marker's transform, then guesses by
            // component ids; the JDK reader has guesses of its own. Only where both surely say YCbCr.
            return components == 3 && !adobe && (jfif || (ids[0] == 1 && ids[1] == 2 && ids[2] == 3));
        }

        private static boolean startsWith(byte[] d, int from, int end, String text) {
            if (end - from < text.length()) {
                return false;
            }
            for (int k = 0; k < text.length(); k++) {
                if (d[from + k] != text.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
    }
}
