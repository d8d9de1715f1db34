package dev.imageservice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 answers read from a raw socket, for tests that must see the bytes on the wire (an answer
 * sent before the body, {@code Expect: 100-continue}, {@code Connection: close}) where a client
 * library would hide them.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** One answer: the head (status line and headers, ending in the empty line) and the body. */
    public record Answer(String head, String body) {
        /** The status line, e.g. {@code HTTP/1.1 413 Payload Too Large}. */
        public String statusLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    /** Reads one answer: its head, then as many body bytes as its Content-Length says (none without one). */
    public static Answer readAnswer(InputStream in) throws IOException {
        String head = readHead(in);
        int length = contentLength(head);
        byte[] body = in.readNBytes(Math.max(length, 0));
        return new Answer(head, new String(body, StandardCharsets.UTF_8));
    }

    /** The status line and headers, up to and including the empty line. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The Content-Length of a head, or -1 when it has none. */
    public static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return -1;
    }
}
