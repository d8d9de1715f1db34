package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.Reference;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/process} with operations as query parameters or form fields, on the real
 * application: pixels and headers of the answers, status and message of the refusals.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OperationsHttpTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Pixels original = TestImages.photoLike(80, 50, 3, 8, 71);
    private final byte[] png = TestImages.encode(original, ".png");

    private HttpResponse<byte[]> raw(String query, byte[] image) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process" + query))
                .header("Content-Type", "image/png").timeout(Duration.ofSeconds(30))
                .POST(BodyPublishers.ofByteArray(image)).build(), BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> form(String query, Multipart body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process" + query))
                .header("Content-Type", Multipart.CONTENT_TYPE).timeout(Duration.ofSeconds(30))
                .POST(BodyPublishers.ofByteArray(body.build())).build(), BodyHandlers.ofByteArray());
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void queryParametersRunInOrder() throws Exception {
        HttpResponse<byte[]> response = raw("?op=" + q("rotate:90") + "&op=" + q("crop:5:10:30:20") + "&op=swap", png);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("X-Image-Width")).hasValue("30");
        assertThat(response.headers().firstValue("X-Image-Height")).hasValue("20");
        assertThat(TestImages.decode(response.body()))
                .isEqualTo(Reference.crop(Reference.rotate(original, 90), 5, 10, 30, 20).swapped());
    }

    @Test
    void formFieldsChooseOperationsFormatAndQuality() throws Exception {
        HttpResponse<byte[]> response = form("", new Multipart()
                .field("op", "resize:40:0")
                .field("op", "") // an unset choice of an HTML form
                .field("format", "jpeg")
                .field("quality", "85")
                .file("image", "holiday.png", "image/png", png));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"holiday.jpg\"");
        Pixels decoded = TestImages.decode(response.body());
        assertThat(decoded.width()).isEqualTo(40);
        assertThat(decoded.height()).isEqualTo(25);
    }

    @Test
    void webpAnswerIsNamedAndTypedAsWebp() throws Exception {
        HttpResponse<byte[]> response = form("?format=webp&op=gray", new Multipart().file("image", "scan.png", "image/png", png));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"scan.webp\"");
        assertThat(TestImages.decode(response.body()).width()).isEqualTo(80);
    }

    @Test
    void withoutOptionsTheAnswerIsStillTheChannelSwappedPng() throws Exception {
        HttpResponse<byte[]> response = raw("", png);
        assertThat(TestImages.decode(response.body())).isEqualTo(original.swapped());
    }

    @Test
    void badParametersAre400NamingTheParameter() throws Exception {
        assertError(raw("?op=blur", png), "op 'blur': unknown operation 'blur'");
        assertError(raw("?op=" + q("rotate:45"), png), "op 'rotate:45': degrees must be 90, 180 or 270, not 45");
        assertError(raw("?op=" + q("resize:0:0"), png), "op 'resize:0:0': width and height cannot both be 0");
        assertError(raw("?op=" + q("crop:70:0:20:5"), png),
                "operation 1 (crop:70:0:20:5): the rectangle 20x5 at 70,0 is outside the 80x50 image");
        assertError(raw("?" + "op=swap&".repeat(17), png), "op: 17 operations; at most 16 are allowed");
        assertError(raw("?op=" + q("resize:20000:20000:fill"), png), "the result would be 20000x20000 = 400 MP");
        assertError(raw("?format=gif", png), "format must be png, jpeg or webp, not 'gif'");
        assertError(raw("?format=jpeg&quality=high", png), "quality must be 1-100");
        assertError(form("", new Multipart().field("quality", "0").field("op", "flip:x")
                .file("image", "a.png", "image/png", png)), "op 'flip:x': flip takes h, v or hv");
    }

    private static void assertError(HttpResponse<byte[]> response, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("code").asInt()).isEqualTo(400);
        assertThat(body.get("message").asText()).contains(message);
    }
}
