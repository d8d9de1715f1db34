package dev.imageservice.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns a {@link BenchReport} into the text a person reads or the JSON a script reads. */
public final class ReportPrinter {
    private final ObjectMapper json;

    public ReportPrinter(ObjectMapper json) {
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    public String json(BenchReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    public String text(BenchReport report) {
        StringBuilder out = new StringBuilder();
        line(out, "target", report.target() + (report.newConnectionPerRequest() ? ", new connection per request"
                : report.target().startsWith("grpc") ? ", " + report.connections() + " shared connection(s)" : ", keep-alive"));
        line(out, "images", report.images().stream()
                .map(i -> i.name() + " (" + bytes(i.bytes()) + (i.width() > 0 ? ", " + i.width() + "x" + i.height() : "") + ")")
                .collect(Collectors.joining(", ")));
        line(out, "load", report.concurrency() + " concurrent, ramp " + seconds(report.rampMillis())
                + ", hold " + seconds(report.durationMillis()));
        line(out, "requests", report.requests() + " (" + report.succeeded() + " ok, " + report.failed() + " failed"
                + (report.unfinished() > 0 ? ", " + report.unfinished() + " clients still waiting at exit" : "")
                + ") in " + fmt("%.2f", report.elapsedSeconds()) + " s");
        line(out, "throughput", fmt("%.1f", report.requestsPerSecond()) + " req/s, received "
                + bytes(report.receivedBytesPerSecond()) + "/s, sent " + bytes(report.sentBytesPerSecond()) + "/s");
        BenchReport.Latency l = report.latencyMillis();
        line(out, "latency ms", fmt("p50 %.1f  p90 %.1f  p95 %.1f  p99 %.1f  max %.1f  mean %.1f",
                l.p50(), l.p90(), l.p95(), l.p99(), l.max(), l.mean()));
        line(out, "statuses", report.statuses().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        for (Map.Entry<String, String> error : report.firstErrors().entrySet()) {
            line(out, "  " + error.getKey(), abbreviate(error.getValue()));
        }
        BenchReport.AnswerCheck answers = report.answers();
        if (answers != null) {
            line(out, "answers", !answers.verify() ? "PNG header checked (--no-verify)"
                    : answers.verifiedImages() + " of " + report.images().size()
                    + " image(s) verified pixel-exact before the load; every ok answer equals its verified one");
            for (Map.Entry<String, String> problem : answers.unverified().entrySet()) {
                line(out, "  " + problem.getKey(), "not verified: " + abbreviate(problem.getValue()));
            }
        }
        line(out, "client CPU", fmt("%.2f", report.clientCpuMillisPerRequest()) + " ms per request (this load generator)");
        BenchReport.ServerUsage server = report.server();
        if (server != null) {
            line(out, "server CPU", fmt("%.2f", server.cpuMillisPerRequest()) + " ms per request ("
                    + fmt("%.0f", server.cpuMillis()) + " ms in total, pid " + server.pid() + ")");
            line(out, "server RSS", "peak (VmHWM) " + (server.peakRssKiB() / 1024) + " MiB, now "
                    + (server.rssKiB() / 1024) + " MiB");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-12s %s%n", label, value));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : fmt("%.3f s", millis / 1000.0);
    }

    static String bytes(double bytes) {
        if (bytes >= 1024 * 1024) {
            return fmt("%.1f MiB", bytes / (1024 * 1024));
        }
        if (bytes >= 1024) {
            return fmt("%.1f KiB", bytes / 1024);
        }
        return fmt("%.0f B", bytes);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
