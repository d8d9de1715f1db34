package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Page and API headers, JSON for Jetty's own errors, CORS only for listed origins, admin tasks off. */
@ExtendWith(DropwizardExtensionsSupport.class)
class HttpHardeningTest {
    static final String ALLOWED = "https://app.example.com";
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("security.corsOrigins", ALLOWED + ", https://other.example.com"));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void thePageAndItsFilesCarryTheSecurityHeadersAndNoServerVersion() throws Exception {
        for (String path : new String[] {"/", "/app.js", "/style.css", "/api/v1/limits"}) {
            HttpResponse<String> response = get(APP.getLocalPort(), path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
                    .contains(SecurityHeadersFilter.CONTENT_SECURITY_POLICY);
            assertThat(SecurityHeadersFilter.CONTENT_SECURITY_POLICY).contains("default-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(response.headers().firstValue("Server")).isEmpty();
            assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        }
    }

    @Test
    void jettysOwnErrorsAreJsonOnBothPorts() throws Exception {
        for (int port : new int[] {APP.getLocalPort(), APP.getAdminPort()}) {
            HttpResponse<String> missing = get(port, "/no-such-file.png");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(missing.body()).isEqualTo("{\"code\":404,\"message\":\"Not Found\"}");
            assertThat(missing.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
        HttpResponse<String> wrongMethod = HTTP.send(HttpRequest.newBuilder(uri(APP.getLocalPort(), "/"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).isEqualTo("{\"code\":405,\"message\":\"Method Not Allowed\"}");
    }

    @Test
    void adminTasksAreOffByDefault() throws Exception {
        HttpResponse<String> gc = HTTP.send(HttpRequest.newBuilder(uri(APP.getAdminPort(), "/tasks/gc"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gc.statusCode()).isEqualTo(404);
        assertThat(gc.body()).contains("admin tasks are off");
        assertThat(get(APP.getAdminPort(), "/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void corsAnswersOnlyTheListedOrigins() throws Exception {
        HttpResponse<String> allowed = preflight(ALLOWED);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                headers -> assertThat(headers.toLowerCase()).contains("authorization"));

        assertThat(preflight("https://evil.example.com").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> simple = HTTP.send(HttpRequest.newBuilder(uri(APP.getLocalPort(), "/api/v1/limits"))
                .header("Origin", ALLOWED).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED);
    }

    private static HttpResponse<String> preflight(String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(APP.getLocalPort(), "/api/v1/process"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
