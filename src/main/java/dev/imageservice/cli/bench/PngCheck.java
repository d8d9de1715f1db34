package dev.imageservice.cli.bench;

import java.nio.charset.StandardCharsets;

/**
 * Checks that a response body starts like the PNG the service must return: the PNG signature,
 * then an IHDR chunk whose width and height are those of the image sent. Only the first
 * {@value #NEEDED_BYTES} bytes are needed, so every response can be checked at no cost.
 */
public final class PngCheck {
    /** Signature (8) + chunk length (4) + "IHDR" (4) + width (4) + height (4). */
    public static final int NEEDED_BYTES = 24;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private PngCheck() {
    }

    /** Returns null if {@code head} is a PNG header matching {@code sent}, else what is wrong. */
    public static String problem(byte[] head, long bodyBytes, BenchImage sent) {
        if (head.length < NEEDED_BYTES || bodyBytes < NEEDED_BYTES) {
            return "response of " + bodyBytes + " bytes is too short to be a PNG";
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (head[i] != SIGNATURE[i]) {
                return "response is not a PNG (starts with " + printable(head) + ")";
            }
        }
        if (head[12] != 'I' || head[13] != 'H' || head[14] != 'D' || head[15] != 'R') {
            return "PNG without an IHDR chunk first";
        }
        int width = readInt(head, 16);
        int height = readInt(head, 20);
        if (sent.sizeKnown() && (width != sent.width() || height != sent.height())) {
            return "PNG is " + width + "x" + height + ", expected " + sent.width() + "x" + sent.height()
                    + " for " + sent.name();
        }
        return null;
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }

    private static String printable(byte[] head) {
        String text = new String(head, 0, Math.min(head.length, 16), StandardCharsets.ISO_8859_1);
        return "\"" + text.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
