package dev.imageservice.k6;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.cli.bench.PhotoLikeImage;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k6 cannot run where the tests run, so the k6 scripts run here on a JavaScript engine with k6's
 * modules played for real (see {@link K6Host}): against the running service, each script must get
 * a PNG and pass every one of its checks, and fail them when the service refuses the image. What
 * the scripts name (proto file, method, message fields, path, form part) is thereby checked by the
 * service itself, not by matching the scripts' text.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class K6ScriptsTest {
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private static final Path K6 = Path.of("k6");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path photo;
    private static Path text;

    @BeforeAll
    static void images() throws Exception {
        photo = dir.resolve("photo.jpg");
        Files.write(photo, TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 1), ".jpg"));
        text = dir.resolve("not-an-image.jpg");
        Files.writeString(text, "Hello, I am not an image.\n");
    }

    private static K6Script grpc(Path image, String... env) throws Exception {
        Map<String, String> vars = new HashMap<>(Map.of("TARGET", "localhost:" + AppUnderTest.grpcPort(APP),
                "IMAGE", image.toAbsolutePath().toString()));
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        return new K6Script(K6.resolve("grpc.js"), vars, false);
    }

    private static K6Script http(Path image) throws Exception {
        return new K6Script(K6.resolve("http.js"), Map.of("TARGET", "http://localhost:" + APP.getLocalPort() + "/",
                "IMAGE", image.toAbsolutePath().toString()), false);
    }

    @Test
    void grpcScriptGetsAPngAndPassesEveryCheck() throws Exception {
        try (K6Script script = grpc(photo)) {
            script.iteration();
            script.iteration();

            assertThat(script.host.checks).containsOnlyKeys("status is OK", "answer is a PNG")
                    .allSatisfy((name, results) -> assertThat(results).containsExactly(true, true));
            assertThat(script.host.invokedMethods).hasSize(2);
        }
    }

    @Test
    void grpcScriptsChecksFailWhenTheServiceRefusesTheImage() throws Exception {
        try (K6Script script = grpc(text)) {
            script.iteration();

            assertThat(script.host.checks).containsEntry("status is OK", List.of(false))
                    .containsEntry("answer is a PNG", List.of(false));
        }
    }

    @Test
    void grpcScriptLoadsTheServicesProtoAndConnectsAsTheReadmeSays() throws Exception {
        try (K6Script script = grpc(photo, "RECONNECT", "false")) {
            script.iteration();
            script.iteration();
            script.iteration();

            // The proto the script loads (k6 resolves import paths against the script) is the service's own.
            assertThat(script.host.loadedProtos).containsExactly(Path.of("proto", "image.proto").toAbsolutePath());
            assertThat(script.host.connects).singleElement().satisfies(params -> {
                assertThat(params.get("plaintext").asBoolean()).isTrue();
                // The PNG of a 12 MP photo is ~25 MB: the receive limit must be raised far past 4 MiB.
                assertThat(params.get("maxReceiveSize").asLong()).isGreaterThanOrEqualTo(128L << 20);
            });
        }
    }

    @Test
    void httpScriptGetsAPngAndPassesEveryCheck() throws Exception {
        try (K6Script script = http(photo)) {
            script.iteration();

            assertThat(script.host.checks).containsOnlyKeys("status is 200", "answer is a PNG")
                    .allSatisfy((name, results) -> assertThat(results).containsExactly(true));
            assertThat(script.host.postedUrls).containsExactly("http://localhost:" + APP.getLocalPort() + "/api/v1/process");
        }
    }

    @Test
    void httpScriptsChecksFailWhenTheServiceRefusesTheImage() throws Exception {
        try (K6Script script = http(text)) {
            script.iteration();

            assertThat(script.host.checks).containsEntry("status is 200", List.of(false))
                    .containsEntry("answer is a PNG", List.of(false));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc.js", "http.js"})
    void defaultImageIsTheOneSampleImagesWrites(String name) throws Exception {
        try (K6Script script = new K6Script(K6.resolve(name), Map.of(), true)) {
            assertThat(script.host.opened).containsExactly(
                    Path.of("target", "samples", PhotoLikeImage.Size.MP_0_3.fileName()).toAbsolutePath());
        }
    }

    /** Stages and thresholds k6 accepts: durations, targets, and thresholds on metrics k6 has. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc.js", "http.js"})
    void optionsAreOnesK6Accepts(String name) throws Exception {
        Set<String> metrics = name.equals("grpc.js") ? Set.of("checks", "grpc_req_duration") : Set.of("checks", "http_req_duration");
        try (K6Script script = new K6Script(K6.resolve(name), Map.of("IMAGE", photo.toAbsolutePath().toString()), false)) {
            JsonNode options = JSON.readTree(script.optionsJson());

            assertThat(options.get("stages")).isNotEmpty().allSatisfy(stage -> {
                assertThat(stage.get("duration").asText()).matches("\\d+(ms|s|m|h)");
                assertThat(stage.get("target").isInt()).isTrue();
            });
            assertThat(options.get("stages").get(1).get("target").asInt()).isEqualTo(200); // the tutorial's 200 users
            assertThat(iterable(options.get("thresholds").fieldNames())).containsExactlyInAnyOrderElementsOf(metrics);
            options.get("thresholds").forEach(list -> list.forEach(threshold -> assertThat(threshold.asText())
                    .matches("(avg|min|max|med|rate|count|p\\(\\d+(\\.\\d+)?\\))\\s*(<|<=|>|>=|==)\\s*\\d+(\\.\\d+)?")));
            assertThat(options.get("thresholds").get("checks").get(0).asText()).isEqualTo("rate==1.0");
        }
    }

    @Test
    void moduleSyntaxIsRewrittenOrRefused() {
        assertThat(K6Script.asPlainScript("import { check, sleep } from 'k6';\nexport const options = {};\n"))
                .isEqualTo("const check = __module('k6').check; const sleep = __module('k6').sleep;\n"
                        + "const options = __exports.options = {};\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> K6Script.asPlainScript("import * as k6 from 'k6';\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
