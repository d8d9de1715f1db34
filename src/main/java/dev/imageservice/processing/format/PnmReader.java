package dev.imageservice.processing.format;

import java.util.HashMap;
import java.util.Map;

/**
 * Netpbm headers. PBM/PGM/PPM (P1-P6): the magic, then width, height and (except for bitmaps) the
 * largest sample value as decimals, separated by white space and '#' comments. PAM (P7): lines of
 * "KEY value" up to ENDHDR.
 */
final class PnmReader {
    /** More digits than this is a lie about the size: read as the largest int. */
    private static final int MAX_DIGITS = 10;

    private PnmReader() {
    }

    static Found read(byte[] d) {
        int variant = d[1] - '0';
        return variant == 7 ? pam(d) : netpbm(d, variant);
    }

    private static Found netpbm(byte[] d, int variant) {
        boolean bitmap = variant == 1 || variant == 4;
        Cursor cursor = new Cursor(d, 2);
        long width = cursor.number();
        long height = cursor.number();
        if (width < 0 || height < 0) {
            return null;
        }
        long maxValue = bitmap ? 1 : cursor.number(); // -1: missing; the size is what the bomb check needs
        int depth = variant == 3 || variant == 6 ? 3 : 1;
        return new Found(Bytes.clamp(width), Bytes.clamp(height), new PnmTraits(variant, Bytes.clamp(maxValue), depth));
    }

    private static Found pam(byte[] d) {
        Map<String, Long> fields = new HashMap<>();
        Cursor cursor = new Cursor(d, 2);
        while (true) {
            String key = cursor.word();
            if (key == null) {
                return null;
            }
            if (key.equals("ENDHDR")) {
                break;
            }
            if (key.equals("WIDTH") || key.equals("HEIGHT") || key.equals("DEPTH") || key.equals("MAXVAL")) {
                long value = cursor.number();
                if (value < 0) {
                    return null;
                }
                fields.put(key, value);
            } else {
                cursor.skipLine(); // TUPLTYPE and anything else
            }
        }
        if (!fields.containsKey("WIDTH") || !fields.containsKey("HEIGHT")) {
            return null;
        }
        return new Found(Bytes.clamp(fields.get("WIDTH")), Bytes.clamp(fields.get("HEIGHT")),
                new PnmTraits(7, Bytes.clamp(fields.getOrDefault("MAXVAL", 255L)), Bytes.clamp(fields.getOrDefault("DEPTH", 1L))));
    }

    /** Reads tokens separated by white space and '#' comments. */
    private static final class Cursor {
        private final byte[] d;
        private int i;

        Cursor(byte[] d, int start) {
            this.d = d;
            this.i = start;
        }

        /** The next decimal number, or -1 if the next token is not one. */
        long number() {
            skipSpace();
            int start = i;
            long value = 0;
            while (i < d.length && d[i] >= '0' && d[i] <= '9') {
                value = i - start < MAX_DIGITS ? value * 10 + (d[i] - '0') : Integer.MAX_VALUE;
                i++;
            }
            return i == start ? -1 : value;
        }

        /** The next run of non-space characters, or null at the end of the data. */
        String word() {
            skipSpace();
            int start = i;
            while (i < d.length && !Character.isWhitespace(d[i])) {
                i++;
            }
            return i == start ? null : new String(d, start, i - start, java.nio.charset.StandardCharsets.US_ASCII);
        }

        void skipLine() {
            while (i < d.length && d[i] != '\n') {
                i++;
            }
        }

        private void skipSpace() {
            while (i < d.length && (Character.isWhitespace(d[i]) || d[i] == '#')) {
                if (d[i] == '#') {
                    skipLine();
                } else {
                    i++;
                }
            }
        }
    }
}
