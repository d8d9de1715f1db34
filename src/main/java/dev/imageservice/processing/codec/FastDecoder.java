package dev.imageservice.processing.codec;

import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.format.ImageHeader;
import dev.imageservice.processing.format.JpegTraits;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
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
    public Mat decode(byte[] data, ImageHeader header) {
        if (header.traits() instanceof JpegTraits jpeg && jpegReader != null && plain(jpeg)) {
            Mat decoded = decodeJpeg(data);
            if (decoded != null) {
                return decoded;
            }
        }
        return fallback.decode(data, header);
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

    /**
     * True for the JPEGs the JDK reader decodes exactly as libjpeg does under OpenCV: 8-bit
     * baseline, extended or progressive Huffman, gray or surely YCbCr, no ICC profile, markers
     * well-formed up to the first scan.
     */
    static boolean plain(JpegTraits jpeg) {
        if (!jpeg.wellFormed() || !jpeg.scanFound() || jpeg.iccProfile() || jpeg.precision() != 8
                || !(jpeg.sequentialHuffman() || jpeg.frameMarker() == 0xC2)) {
            return false;
        }
        List<JpegTraits.Component> components = jpeg.components();
        if (components.size() == 1) {
            return true;
        }
        // libjpeg takes JFIF to mean YCbCr, then an Adobe marker's transform, then guesses by
        // component ids; the JDK reader has guesses of its own. Only where both surely say YCbCr.
        return components.size() == 3 && jpeg.adobeTransform() < 0 && (jpeg.jfif()
                || (components.get(0).id() == 1 && components.get(1).id() == 2 && components.get(2).id() == 3));
    }
}
