package dev.imageservice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus server ({@code /usr/bin/prometheus}), started by a test with its own config
 * and a temporary storage directory on a free loopback port, scraping one target every second. Not
 * the system service: nothing outside the test's directory is touched.
 */
public final class PrometheusServer implements AutoCloseable {
    public static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    public static final String MISSING = "needs Debian's prometheus (" + PROMETHEUS + ", " + PROMTOOL
            + "); `apt-get install -y prometheus` enables it (.ci/run installs it)";

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static boolean installed() {
        return Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL);
    }

    /** Starts Prometheus scraping {@code http://127.0.0.1:targetPort/metricsPath} as job "image-service". */
    public static PrometheusServer scraping(int targetPort, String metricsPath, Path dir) throws IOException,
            InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: image-service",
                "    metrics_path: " + metricsPath,
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + targetPort + "']",
                ""));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited:\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within " + timeout + ":\n" + Files.readString(log));
    }

    /** The "data.result" of an instant query through the HTTP API. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String body = http.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body();
        JsonNode answer = json.readTree(body);
        if (!"success".equals(answer.path("status").asText())) {
            throw new IllegalStateException(promql + ": " + body);
        }
        return answer.path("data").path("result");
    }

    /** The value of a query with one series, or NaN when it has none (yet). */
    public double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql);
        return result.size() == 1 ? Double.parseDouble(result.get(0).path("value").get(1).asText()) : Double.NaN;
    }

    /** Polls {@code promql} until it has one series whose value is a finite number, and returns it. */
    public double awaitScalar(String promql, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        double value = Double.NaN;
        while (System.nanoTime() < end) {
            value = scalar(promql);
            if (Double.isFinite(value)) {
                return value;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + " had no finite value within " + timeout + " (last " + value + ")");
    }

    /** Runs promtool with {@code args}, feeding it {@code stdin}; returns its exit code and output. */
    public static Result promtool(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process promtool = new ProcessBuilder(command).redirectErrorStream(true).start();
        promtool.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
            throw new IllegalStateException("promtool hung");
        }
        return new Result(promtool.exitValue(), output);
    }

    /** What promtool said. */
    public record Result(int exitCode, String output) {
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
