package dev.imageservice.processing.format;

/**
 * Reads an image's format, dimensions and codec traits from its first bytes, once, without
 * decoding anything: the magic number picks the format, then that format's one reader reads its
 * header. The decoder is handed the result instead of parsing the header again.
 *
 * <p>Files nobody should decode are refused here: unrecognised ones (nothing to read their size
 * from: they could ask a decoder for gigabytes), formats the service does not read, headers that
 * are missing or give no size. Whether the size is acceptable is the caller's decision.
 */
public final class FormatProbe {
    /** Enough of the file for every header, JPEG metadata before the frame header included (mostly). */
    static final int HEAD_BYTES = 256 * 1024;
    /** How far from the end a JPEG's end-of-image marker may sit (some cameras append trailers). */
    static final int TAIL_BYTES = 64 * 1024;

    private FormatProbe() {
    }

    /** The format by its magic number; {@link ImageFormat#UNKNOWN} when none matches. Never throws. */
    public static ImageFormat sniff(byte[] head) {
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return ImageFormat.JPEG;
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return ImageFormat.PNG;
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return ImageFormat.GIF;
        }
        if (startsWith(head, 'R', 'I', 'F', 'F') && Bytes.startsWith(head, 8, head.length, "WEBP")) {
            return ImageFormat.WEBP;
        }
        if (startsWith(head, 'I', 'I', 0x2A, 0x00) || startsWith(head, 'M', 'M', 0x00, 0x2A)) {
            return ImageFormat.TIFF;
        }
        if (startsWith(head, 'B', 'M')) {
            return ImageFormat.BMP;
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '7') {
            return ImageFormat.PNM;
        }
        if (startsWith(head, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || startsWith(head, 0xFF, 0x4F, 0xFF, 0x51)) {
            return ImageFormat.JPEG2000;
        }
        if (startsWith(head, '#', '?')) {
            return ImageFormat.HDR;
        }
        if (head.length >= 12 && Bytes.startsWith(head, 4, 8, "ftyp")) {
            return ImageFormat.HEIF;
        }
        return ImageFormat.UNKNOWN;
    }

    /** Probes a file held in one array. */
    public static ImageHeader probe(byte[] data) {
        return probe(ProbeInput.of(data));
    }

    /**
     * Probes a file: its head, then its tail or all of it only when its format needs them.
     *
     * @throws FormatException when the file is not an image the service would decode
     */
    public static ImageHeader probe(ProbeInput input) {
        byte[] head = input.head(HEAD_BYTES);
        ImageFormat format = sniff(head);
        switch (format) {
            case UNKNOWN -> throw new FormatException(FormatException.Reason.UNRECOGNISED,
                    "could not decode the image: not a recognised image format");
            // Floating-point samples: the decoder would refuse its pixels anyway. GIF: OpenCV has no
            // reader for it. HEIF/AVIF: none either.
            case HDR, GIF, HEIF -> throw new FormatException(FormatException.Reason.UNSUPPORTED,
                    "unsupported image format: " + format.displayName());
            default -> {
            }
        }
        boolean whole = head.length == input.size();
        Found found = read(format, head, whole);
        if (found == null && !whole) { // the header reaches past the head (large metadata, a TIFF directory at the end)
            found = read(format, input.bytes(), true);
        }
        if (found == null) {
            throw FormatException.corrupt(format, "no valid image header");
        }
        if (found.width() <= 0 || found.height() <= 0) {
            throw new FormatException(FormatException.Reason.CORRUPT, "could not decode the image: the "
                    + format.displayName() + " header says " + found.width() + "x" + found.height());
        }
        boolean complete = switch (format) {
            // Not yet received: the end marker is checked once the whole file has been read.
            case JPEG -> input.heldBytes() < input.size() || JpegReader.hasEndMarker(input.tail(TAIL_BYTES));
            case WEBP -> WebpReader.whole(head, input.size());
            default -> true;
        };
        return new ImageHeader(format, found.width(), found.height(), input.size(), complete, found.traits());
    }

    private static Found read(ImageFormat format, byte[] data, boolean whole) {
        return switch (format) {
            case JPEG -> JpegReader.read(data, whole);
            case PNG -> PngReader.read(data);
            case WEBP -> WebpReader.read(data);
            case TIFF -> TiffReader.read(data);
            case BMP -> BmpReader.read(data);
            case PNM -> PnmReader.read(data);
            case JPEG2000 -> Jpeg2000Reader.read(data);
            default -> throw new IllegalStateException("no reader for " + format);
        };
    }

    private static boolean startsWith(byte[] data, int... magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
