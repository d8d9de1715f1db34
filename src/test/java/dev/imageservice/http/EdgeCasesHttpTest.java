package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.EdgeCases;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every edge case over HTTP, as a raw body and as a multipart upload, with the status the failure-kind table gives it. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EdgeCasesHttpTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The two ways a client sends an image. */
    enum Upload { RAW_BODY, MULTIPART }

    static Stream<Arguments> cases() {
        return EdgeCases.all().stream()
                .flatMap(edgeCase -> Stream.of(Upload.values()).map(upload -> Arguments.of(edgeCase, upload)));
    }

    static int httpStatus(EdgeCases.Expected expected) {
        return switch (expected) {
            case OK -> 200;
            case INVALID -> 400;
            case UNSUPPORTED -> 415;
            case TOO_MANY_PIXELS -> 422;
        };
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void answersAsTheTableSays(EdgeCases.Case edgeCase, Upload upload) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(request(edgeCase.input().get(), upload), BodyHandlers.ofByteArray());

        if (edgeCase.expected() == EdgeCases.Expected.OK) {
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(TestImages.decode(response.body())).isEqualTo(edgeCase.pixels().get());
        } else {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            int status = httpStatus(edgeCase.expected());
            assertThat(response.statusCode()).as(body).isEqualTo(status);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode json = JSON.readTree(body);
            assertThat(json.get("code").asInt()).isEqualTo(status);
            assertThat(json.get("message").asText()).contains(edgeCase.messagePart());
            assertThat(body).doesNotContain("Exception", "\tat ", "cv::");
        }
    }

    private static HttpRequest request(byte[] image, Upload upload) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .timeout(Duration.ofSeconds(30));
        // application/octet-stream either way: the service must tell the format from the bytes, not from a label.
        return switch (upload) {
            case RAW_BODY -> builder.header("Content-Type", "application/octet-stream")
                    .POST(BodyPublishers.ofByteArray(image)).build();
            case MULTIPART -> builder.header("Content-Type", Multipart.CONTENT_TYPE)
                    .POST(BodyPublishers.ofByteArray(new Multipart()
                            .file(ProcessResource.FILE_PART, "upload.bin", "application/octet-stream", image).build()))
                    .build();
        };
    }
}
