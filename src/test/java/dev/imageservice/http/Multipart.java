package dev.imageservice.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A multipart/form-data body written out by hand, byte for byte, so the tests show exactly what
 * goes over the wire (the same bytes {@code curl -F} and a browser's form send).
 */
final class Multipart {
    static final String BOUNDARY = "----imageservice-test-boundary-7d1f";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart file(String field, String fileName, String contentType, byte[] content) {
        write("--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n");
        out.writeBytes(content);
        write("\r\n");
        return this;
    }

    Multipart field(String field, String value) {
        write("--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + value + "\r\n");
        return this;
    }

    byte[] build() {
        write("--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    private void write(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
