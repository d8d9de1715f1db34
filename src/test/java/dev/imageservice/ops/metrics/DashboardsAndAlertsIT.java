package dev.imageservice.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.imageservice.testing.PrometheusServer;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.ServiceProcess;
import dev.imageservice.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard ({@code deploy/grafana/image-service.json}) and the alerting rules
 * ({@code deploy/prometheus/alerts.yml}) against the service as shipped (the jar, whose exposition
 * includes the JVM's gauges): promtool accepts the rules, and every metric name that a panel or a
 * rule queries is one the service exposes, so a renamed metric cannot silently blank a panel.
 */
class DashboardsAndAlertsIT {
    private static final Path DASHBOARD = Path.of("deploy", "grafana", "image-service.json");
    private static final Path ALERTS = Path.of("deploy", "prometheus", "alerts.yml");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "avg", "min", "max", "count", "rate", "irate",
            "increase", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
            "bool", "offset", "histogram_quantile", "avg_over_time", "max_over_time", "min_over_time", "absent",
            "vector", "scalar", "topk", "bottomk", "clamp_min", "clamp_max");
    /** Series that Prometheus makes itself. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private ServiceProcess service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.kill();
        }
    }

    @Test
    void promtoolAcceptsTheAlertingRules() throws Exception {
        RequiredTools.require(PrometheusServer.installed(), PrometheusServer.MISSING);

        PrometheusServer.Result check = PrometheusServer.promtool("", "check", "rules", ALERTS.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 6 rules found");
    }

    @Test
    void everyMetricThatAPanelOrARuleQueriesIsExposed() throws Exception {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
        }
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
        rules.path("groups").forEach(group -> group.path("rules").forEach(rule -> queries.add(rule.path("expr").asText())));
        assertThat(queries).hasSizeGreaterThan(10);

        service = ServiceProcess.startJar(Map.of());
        HttpClient http = HttpClient.newHttpClient();
        byte[] image = TestImages.encode(TestImages.photoLike(32, 24, 3, 8, 9), ".png");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/api/v1/process"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        String exposition = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.adminPort() + "/prometheus")).build(), BodyHandlers.ofString()).body();
        Set<String> exposed = exposedNames(exposition);

        Set<String> queried = new TreeSet<>();
        queries.forEach(query -> queried.addAll(metricNames(query)));
        assertThat(queried).contains("image_processing_duration_seconds_bucket", "grpc_server_handled_total",
                "image_memory_in_use_bytes", "jvm_memory_heap_used");
        assertThat(queried).allSatisfy(name -> assertThat(exposed).as("exposed names").contains(name));
    }

    /** The metric names a PromQL query refers to: what is left after labels, ranges, groupings and functions. */
    static Set<String> metricNames(String query) {
        String bare = query
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = NAME.matcher(bare);
        while (matcher.find()) {
            String token = matcher.group();
            int end = matcher.end();
            boolean call = end < bare.length() && bare.substring(end).stripLeading().startsWith("(");
            if (!PROMQL_WORDS.contains(token) && !call && !PROMETHEUS_OWN.contains(token)
                    && (matcher.start() == 0 || !Character.isDigit(bare.charAt(matcher.start() - 1)))) {
                names.add(token);
            }
        }
        return names;
    }

    /** Every sample name the exposition can have: its families, with a histogram's or summary's suffixes. */
    private static Set<String> exposedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(exposition);
        while (type.find()) {
            String family = type.group(1);
            names.add(family);
            if (type.group(2).equals("histogram") || type.group(2).equals("summary")) {
                names.addAll(List.of(family + "_bucket", family + "_sum", family + "_count"));
            }
        }
        return names;
    }

    @Test
    void theNameExtractionFindsNamesAndNothingElse() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, stage) (rate(a_seconds_bucket{job=~\"$job\",x=\"y\"}[5m])))"))
                .containsExactly("a_seconds_bucket");
        assertThat(metricNames("sum(b_total{kind=~\"A|B\"}) / sum(c_count) > 0.05 or absent(up{job=\"x\"})"))
                .containsExactly("b_total", "c_count");
        assertThat(Files.exists(DASHBOARD)).isTrue();
    }
}
