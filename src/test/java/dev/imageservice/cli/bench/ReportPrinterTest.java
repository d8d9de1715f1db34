package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportPrinterTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    private final ReportPrinter printer = new ReportPrinter(MAPPER);

    private static BenchReport report(BenchReport.ServerUsage server) {
        return new BenchReport("grpc://127.0.0.1:50051", true, 1, 200, 1000, 10_000,
                List.of(new BenchReport.ImageSummary("photo-2mp.jpg", 359_495, 1600, 1200)),
                1000, 998, 2, 0, 11.0, 90.9,
                new BenchReport.Latency(1200.5, 1900, 2100, 2500, 3100, 1250),
                5.5 * 1024 * 1024, 2 * 1024 * 1024,
                Map.of("OK", 998L, "UNAVAILABLE", 2L), Map.of("UNAVAILABLE", "Connection refused"),
                0.35, server, new BenchReport.AnswerCheck(true, 1, Map.of()));
    }

    @Test
    void textReportShowsTheFiguresAndTheFirstErrorOfEachStatus() {
        String text = printer.text(report(null));

        assertThat(text)
                .contains("target       grpc://127.0.0.1:50051, new connection per request")
                .contains("images       photo-2mp.jpg (351.1 KiB, 1600x1200)")
                .contains("load         200 concurrent, ramp 1 s, hold 10 s")
                .contains("requests     1000 (998 ok, 2 failed) in 11.00 s")
                .contains("throughput   90.9 req/s, received 5.5 MiB/s, sent 2.0 MiB/s")
                .contains("latency ms   p50 1200.5  p90 1900.0  p95 2100.0  p99 2500.0  max 3100.0  mean 1250.0")
                .contains("UNAVAILABLE 2")
                .contains("  UNAVAILABLE Connection refused")
                .contains("answers      1 of 1 image(s) verified pixel-exact before the load; every ok answer equals its verified one")
                .contains("client CPU   0.35 ms per request")
                .doesNotContain("server CPU");
    }

    @Test
    void textReportShowsServerUsageWhenWatched() {
        String text = printer.text(report(new BenchReport.ServerUsage(4242, 20_000, 20.0, 512_000, 400_000)));

        assertThat(text)
                .contains("server CPU   20.00 ms per request (20000 ms in total, pid 4242)")
                .contains("server RSS   peak (VmHWM) 500 MiB, now 390 MiB");
    }

    @Test
    void jsonReportHasEveryFigureUnderAStableName() throws Exception {
        JsonNode json = MAPPER.readTree(printer.json(report(new BenchReport.ServerUsage(4242, 20_000, 20.0, 512_000, 400_000))));

        assertThat(json.get("requests").asLong()).isEqualTo(1000);
        assertThat(json.get("failed").asLong()).isEqualTo(2);
        assertThat(json.get("requestsPerSecond").asDouble()).isEqualTo(90.9);
        assertThat(json.at("/latencyMillis/p99").asDouble()).isEqualTo(2500);
        assertThat(json.at("/statuses/UNAVAILABLE").asLong()).isEqualTo(2);
        assertThat(json.at("/server/cpuMillisPerRequest").asDouble()).isEqualTo(20.0);
        assertThat(json.at("/server/peakRssKiB").asLong()).isEqualTo(512_000);
        assertThat(json.at("/images/0/width").asInt()).isEqualTo(1600);
    }

    @Test
    void byteRatesUseBinaryUnits() {
        assertThat(ReportPrinter.bytes(512)).isEqualTo("512 B");
        assertThat(ReportPrinter.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(ReportPrinter.bytes(3 * 1024 * 1024)).isEqualTo("3.0 MiB");
    }
}
