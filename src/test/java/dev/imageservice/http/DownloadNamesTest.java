package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadNamesTest {

    @Test
    void extensionIsReplacedByPng() {
        assertThat(DownloadNames.pngName("holiday.jpg")).isEqualTo("holiday.png");
        assertThat(DownloadNames.pngName("scan.v2.tiff")).isEqualTo("scan.v2.png");
        assertThat(DownloadNames.pngName("noextension")).isEqualTo("noextension.png");
    }

    @Test
    void missingOrEmptyNameFallsBackToImage() {
        assertThat(DownloadNames.pngName(null)).isEqualTo("image.png");
        assertThat(DownloadNames.pngName("")).isEqualTo("image.png");
        assertThat(DownloadNames.pngName("...")).isEqualTo("image.png");
    }

    @Test
    void pathsAreDroppedSoOnlyTheFileNameRemains() {
        assertThat(DownloadNames.pngName("C:\\Users\\me\\photo.jpg")).isEqualTo("photo.png");
        assertThat(DownloadNames.pngName("../../etc/passwd")).isEqualTo("passwd.png");
    }

    @Test
    void quotesAndControlCharactersCannotBreakTheHeader() {
        String header = DownloadNames.inlineDisposition("a\"b\r\nSet-Cookie: x.jpg");
        assertThat(header).doesNotContain("\r", "\n").isEqualTo("inline; filename=\"abSet-Cookie_ x.png\"; "
                + "filename*=UTF-8''abSet-Cookie%3A%20x.png");
    }

    @Test
    void nonAsciiNameGetsAnAsciiFallbackAndAUtf8Name() {
        assertThat(DownloadNames.inlineDisposition("Grüße aus Köln.jpg"))
                .isEqualTo("inline; filename=\"Gruße aus Koln.png\"".replace("ß", "_")
                        + "; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln.png");
    }

    @Test
    void utf8ReadAsLatin1IsRepaired() {
        String misread = new String("Köln.jpg".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(DownloadNames.pngName(misread)).isEqualTo("Köln.png");
        // Genuine Latin-1 that is not valid UTF-8 stays as it is.
        assertThat(DownloadNames.pngName("Köln.jpg")).isEqualTo("Köln.png");
    }
}
