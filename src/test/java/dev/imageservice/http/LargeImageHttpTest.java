package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.LargeImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opencv.imgcodecs.Imgcodecs;

/** A 12 MP photo over HTTP: the answer (a ~20 MB PNG) is exact and streamed with its length. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LargeImageHttpTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    @Test
    void twelveMegapixelPhotoComesBackExactlySwapped() throws Exception {
        byte[] jpeg = LargeImages.photo(4000, 3000, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/v1/process"))
                .header("Content-Type", "image/jpeg")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg))
                .build();

        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
        assertThat(response.headers().firstValue("X-Image-Width")).hasValue("4000");
        assertThat(LargeImages.firstSwapMismatch(LargeImages.decodeSamples(jpeg), LargeImages.decodeSamples(response.body())))
                .isEqualTo(-1);
    }
}
