package dev.imageservice.processing.format;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place where a JPEG's markers are walked: from the start of the file to its first scan,
 * checking every segment's length, collecting the frame header (dimensions, precision, components)
 * and the markers that change how it decodes (JFIF, Adobe, ICC, restart interval).
 */
final class JpegReader {
    private static final int SOI_LENGTH = 2;

    private JpegReader() {
    }

    /**
     * @param whole whether {@code d} is the whole file; if not, running out of bytes before the
     *              first scan answers null, so that the probe reads again with all of them
     * @return what the frame header says, or null when no frame header is found in {@code d}
     * @throws FormatException when a second frame header comes before the first scan (libjpeg refuses it)
     */
    static Found read(byte[] d, boolean whole) {
        Frame frame = null;
        boolean jfif = false;
        boolean icc = false;
        int adobeTransform = -1;
        int restartInterval = 0;
        int i = SOI_LENGTH;
        while (true) {
            if (i + 3 >= d.length) {
                return frame == null || !whole ? null : frame.found(false, true, jfif, adobeTransform, icc, restartInterval);
            }
            if ((d[i] & 0xFF) != 0xFF) { // stray bytes: libjpeg skips them with a warning
                return frame == null ? null : frame.found(false, false, jfif, adobeTransform, icc, restartInterval);
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                i += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan, or end of image
                return frame == null ? null : frame.found(marker == 0xDA, true, jfif, adobeTransform, icc, restartInterval);
            }
            int length = Bytes.u16be(d, i + 2);
            int body = i + 4;
            int end = i + 2 + length;
            if (length < 2) {
                return frame == null ? null : frame.found(false, false, jfif, adobeTransform, icc, restartInterval);
            }
            if (end > d.length) { // the segment runs past the bytes we have
                return frame == null || !whole ? null : frame.found(false, true, jfif, adobeTransform, icc, restartInterval);
            }
            if (isFrameMarker(marker)) {
                if (frame != null) {
                    throw FormatException.corrupt(ImageFormat.JPEG, "two frame headers");
                }
                frame = Frame.parse(d, marker, body, end);
                if (frame == null) {
                    return null;
                }
            } else if (marker == 0xE0 && Bytes.startsWith(d, body, end, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xE2 && Bytes.startsWith(d, body, end, "ICC_PROFILE\0")) {
                icc = true;
            } else if (marker == 0xEE && end - body >= 12 && Bytes.startsWith(d, body, end, "Adobe")) {
                adobeTransform = d[body + 11] & 0xFF;
            } else if (marker == 0xDD && length >= 4) {
                restartInterval = Bytes.u16be(d, body);
            }
            i = end;
        }
    }

    /** SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrameMarker(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /**
     * Whether the file ends with an end-of-image marker, within its last bytes. libjpeg decodes a
     * JPEG cut short "successfully", filling the missing rows with grey, and OpenCV reports no error.
     *
     * @param tail the file's last bytes (some cameras append trailers after the marker; zero padding is common)
     */
    static boolean hasEndMarker(byte[] tail) {
        int end = tail.length;
        while (end > 2 && tail[end - 1] == 0) {
            end--;
        }
        for (int i = end - 2; i >= 0; i--) {
            if ((tail[i] & 0xFF) == 0xFF && (tail[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private record Frame(int marker, int precision, int width, int height, List<JpegTraits.Component> components) {
        /** The SOF segment's body: precision, height, width, component count, then 3 bytes per component. */
        static Frame parse(byte[] d, int marker, int body, int end) {
            if (end - body < 6) {
                return null;
            }
            int count = d[body + 5] & 0xFF;
            if (end - body < 6 + 3 * count) {
                return null;
            }
            List<JpegTraits.Component> components = new ArrayList<>(count);
            for (int c = 0; c < count; c++) {
                int at = body + 6 + 3 * c;
                components.add(new JpegTraits.Component(d[at] & 0xFF, (d[at + 1] & 0xFF) >> 4, d[at + 1] & 0x0F));
            }
            return new Frame(marker, d[body] & 0xFF, Bytes.u16be(d, body + 3), Bytes.u16be(d, body + 1), components);
        }

        Found found(boolean scanFound, boolean wellFormed, boolean jfif, int adobeTransform, boolean icc,
                int restartInterval) {
            return new Found(width, height, new JpegTraits(marker, precision, components, restartInterval, jfif,
                    adobeTransform, icc, scanFound, wellFormed));
        }
    }
}
