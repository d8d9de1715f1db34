package dev.imageservice.testing;

import java.io.ByteArrayOutputStream;

/** Edits of JPEG files for tests: marker segments added where a camera or an editor would put them. */
public final class JpegSegments {
    private JpegSegments() {
    }

    /** Inserts a marker segment right after SOI. */
    public static byte[] afterSoi(byte[] jpeg, int marker, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        out.write((body.length + 2) >> 8);
        out.write((body.length + 2) & 0xFF);
        out.writeBytes(body);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
