package dev.imageservice.http;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Names for the processed PNG: the upload's own name with a {@code .png} extension, made safe for a
 * {@code Content-Disposition} header (RFC 6266: an ASCII {@code filename} for old clients and a
 * UTF-8 {@code filename*} for the rest).
 */
final class DownloadNames {
    static final String DEFAULT_STEM = "image";
    private static final int MAX_STEM_LENGTH = 100;
    private static final Pattern NOT_ASCII_SAFE = Pattern.compile("[^A-Za-z0-9._ -]+");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private DownloadNames() {
    }

    /** {@code inline} so that a browser shows the PNG (the no-JavaScript form), with a download name. */
    static String inlineDisposition(String uploadName) {
        return inlineDisposition(uploadName, "png");
    }

    /** The same for an answer in another format: "holiday.jpg" answered as WebP is "holiday.webp". */
    static String inlineDisposition(String uploadName, String extension) {
        String png = pngName(uploadName);
        String name = png.substring(0, png.length() - "png".length()) + extension;
        String ascii = asciiFallback(name);
        String disposition = "inline; filename=\"" + ascii + "\"";
        if (!ascii.equals(name)) {
            disposition += "; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }
        return disposition;
    }

    /** "holiday.jpg" becomes "holiday.png"; paths, control characters and empty names are dropped. */
    static String pngName(String uploadName) {
        String stem = uploadName == null ? "" : repairUtf8(uploadName);
        // Browsers may send a full Windows path; only the last segment is the file's name.
        stem = stem.substring(Math.max(stem.lastIndexOf('/'), stem.lastIndexOf('\\')) + 1);
        stem = CONTROL.matcher(stem).replaceAll("").replace("\"", "").strip();
        int dot = stem.lastIndexOf('.');
        if (dot > 0) {
            stem = stem.substring(0, dot);
        }
        if (stem.isEmpty() || stem.chars().allMatch(c -> c == '.')) {
            stem = DEFAULT_STEM;
        }
        if (stem.length() > MAX_STEM_LENGTH) {
            // Never cut a surrogate pair in half.
            int end = Character.isHighSurrogate(stem.charAt(MAX_STEM_LENGTH - 1)) ? MAX_STEM_LENGTH - 1 : MAX_STEM_LENGTH;
            stem = stem.substring(0, end);
        }
        return stem + ".png";
    }

    /**
     * Browsers send a non-ASCII file name as raw UTF-8 in the part's header, which the multipart
     * parser reads as ISO-8859-1 ("Ã¼" for "ü"). If the name is such a misreading, undo it.
     */
    static String repairUtf8(String name) {
        if (name.chars().anyMatch(c -> c > 0xFF) || name.chars().allMatch(c -> c < 0x80)) {
            return name;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(name.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return name; // really Latin-1 (or nonsense): keep what was sent
        }
    }

    private static String asciiFallback(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String ascii = NOT_ASCII_SAFE.matcher(decomposed).replaceAll("_");
        int dot = ascii.lastIndexOf('.');
        String stem = dot < 0 ? ascii : ascii.substring(0, dot);
        return stem.isEmpty() || stem.equals("_") ? DEFAULT_STEM + ascii.substring(Math.max(dot, 0)) : ascii;
    }
}
