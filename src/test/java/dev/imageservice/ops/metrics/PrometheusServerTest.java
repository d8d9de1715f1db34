package dev.imageservice.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.PrometheusServer;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exposition as Prometheus itself reads it: {@code promtool check metrics} finds nothing to
 * complain about, and Debian's Prometheus server scrapes the running service ({@code up == 1}) and
 * computes percentiles from its histograms with {@code histogram_quantile}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PrometheusServerTest {
    private static final int GRPC_CALLS = 6;
    private static final int HTTP_CALLS = 4;

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    @TempDir
    Path dir;

    @Test
    void promtoolFindsTheExpositionClean() throws Exception {
        RequiredTools.require(PrometheusServer.installed(), PrometheusServer.MISSING);
        sendTraffic(); // so that every labelled series exists

        PrometheusServer.Result lint = PrometheusServer.promtool(admin("/prometheus"), "check", "metrics");

        assertThat(lint.output()).isEmpty();
        assertThat(lint.exitCode()).isZero();
    }

    @Test
    void prometheusScrapesTheServiceAndComputesPercentilesFromItsHistograms() throws Exception {
        RequiredTools.require(PrometheusServer.installed(), PrometheusServer.MISSING);
        try (PrometheusServer prometheus = PrometheusServer.scraping(APP.getAdminPort(), "/prometheus", dir)) {
            assertThat(prometheus.awaitScalar("up{job=\"image-service\"}", Duration.ofSeconds(30))).isEqualTo(1.0);
            double okBefore = prometheus.awaitScalar(
                    "sum(grpc_server_handled_total{grpc_method=\"ProcessImage\",grpc_code=\"OK\"}) or vector(0)",
                    Duration.ofSeconds(10));

            sendTraffic();

            // Once a scrape after the traffic is in: the counter moved by exactly the calls made ...
            String handled = "sum(grpc_server_handled_total{grpc_method=\"ProcessImage\",grpc_code=\"OK\"})";
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (prometheus.scalar(handled) < okBefore + GRPC_CALLS && System.nanoTime() < end) {
                Thread.sleep(250);
            }
            assertThat(prometheus.scalar(handled)).isEqualTo(okBefore + GRPC_CALLS);
            // ... and percentiles come out of the buckets: a finite time within the buckets' range,
            // the median no more than the 99th percentile.
            String buckets = "sum by (le) (rate(image_processing_duration_seconds_bucket[1m]))";
            double p99 = prometheus.awaitScalar("histogram_quantile(0.99, " + buckets + ")", Duration.ofSeconds(30));
            double p50 = prometheus.awaitScalar("histogram_quantile(0.5, " + buckets + ")", Duration.ofSeconds(30));
            assertThat(p99).isPositive().isLessThanOrEqualTo(32.0);
            assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
            double grpcP50 = prometheus.awaitScalar("histogram_quantile(0.5, sum by (le) "
                    + "(rate(grpc_server_handling_seconds_bucket{grpc_method=\"ProcessImage\"}[1m])))",
                    Duration.ofSeconds(30));
            assertThat(grpcP50).isPositive().isLessThanOrEqualTo(32.0);
            double httpCount = prometheus.awaitScalar("sum(http_server_request_duration_seconds_count"
                    + "{route=\"/api/v1/process\",status_class=\"2xx\"})", Duration.ofSeconds(10));
            assertThat(httpCount).isGreaterThanOrEqualTo(HTTP_CALLS);
        }
    }

    private static void sendTraffic() throws InterruptedException {
        byte[] image = TestImages.encode(TestImages.photoLike(64, 48, 3, 8, 3), ".jpg");
        ManagedChannel channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
        try {
            for (int i = 0; i < GRPC_CALLS; i++) {
                ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(image)).build());
            }
        } finally {
            GrpcTestChannels.close(channel);
        }
        for (int i = 0; i < HTTP_CALLS; i++) {
            try (Response response = APP.client().target("http://localhost:" + APP.getLocalPort() + "/api/v1/process")
                    .request().post(Entity.entity(image, "image/jpeg"))) {
                assertThat(response.getStatus()).isEqualTo(200);
            }
        }
    }

    private static String admin(String path) {
        return APP.client().target("http://localhost:" + APP.getAdminPort() + path).request().get(String.class);
    }
}
