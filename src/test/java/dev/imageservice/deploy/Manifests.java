package dev.imageservice.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes manifests under deploy/kubernetes as a cluster would get them: rendered by
 * {@code kubectl kustomize} where kubectl is installed, else (a machine without it) the files that
 * the kustomization lists, read directly, with its delete patches applied.
 */
final class Manifests {
    static final Path ROOT = Path.of("deploy", "kubernetes");
    private static final ObjectMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** Every object that {@code dir}'s kustomization renders, as JSON trees. */
    static List<JsonNode> render(Path dir) throws Exception {
        Path kubectl = kubectl();
        String yaml = kubectl != null ? kustomize(kubectl, dir) : readListedFiles(dir);
        return parseAll(yaml);
    }

    /** Every document of a multi-document YAML file. */
    static List<JsonNode> parseAll(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                JsonNode node = iterator.next();
                if (node != null && !node.isNull() && !node.isEmpty()) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }

    static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> matching = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + matching.size());
        }
        return matching.get(0);
    }

    static <T> T as(JsonNode node, Class<T> type) throws IOException {
        return YAML.treeToValue(node, type);
    }

    static Path kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String kustomize(Path kubectl, Path dir) throws Exception {
        Path out = Files.createTempFile("kustomize", ".yaml");
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + Files.readString(out));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Without kubectl: the resources of the kustomization (recursively), minus "$patch: delete" ones. */
    static String readListedFiles(Path dir) throws IOException {
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        List<String> deleted = new ArrayList<>();
        for (JsonNode patch : kustomization.path("patches")) {
            JsonNode body = YAML.readTree(patch.path("patch").asText());
            if ("delete".equals(body.path("$patch").asText())) {
                deleted.add(body.path("kind").asText() + "/" + body.path("metadata").path("name").asText());
            }
        }
        StringBuilder all = new StringBuilder();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            String text = Files.isDirectory(path) ? readListedFiles(path) : Files.readString(path);
            for (JsonNode document : parseAll(text)) {
                String id = document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
                if (!deleted.contains(id)) {
                    all.append("---\n").append(YAML.writeValueAsString(document));
                }
            }
        }
        return all.toString();
    }
}
