package dev.imageservice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.cli.bench.Bench;
import dev.imageservice.cli.bench.BenchImage;
import dev.imageservice.cli.bench.BenchOptions;
import dev.imageservice.cli.bench.BenchReport;
import dev.imageservice.cli.bench.BenchTarget;
import dev.imageservice.cli.bench.HttpRequestSender;
import dev.imageservice.cli.bench.LoadSettings;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the load generator for a moment against the real application over gRPC. (The HTTP
 * endpoint is built on another branch; HttpRequestSenderTest covers the HTTP sender until then.)
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BenchIntegrationTest {
    private static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            ImageServiceApplication.class, ResourceHelpers.resourceFilePath("bench-it.yml"),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("grpc.port", "0"));

    @Test
    void grpcRunAtConcurrencyFourHasRequestsAndNoErrors() throws Exception {
        BenchImage image = BenchImage.of("photo.jpg", TestImages.encode(TestImages.photoLike(96, 64, 3, 8, 7), ".jpg"));
        int port = ((ImageServiceApplication) APP.getApplication()).grpcServer().getPort();
        BenchOptions options = new BenchOptions(BenchTarget.parse("grpc://127.0.0.1:" + port), List.of(image),
                new LoadSettings(4, Duration.ofMillis(200), Duration.ofMillis(1300), Duration.ofSeconds(30)),
                false, 1, HttpRequestSender.BodyKind.MULTIPART, ProcessHandle.current().pid());

        BenchReport report = Bench.run(options);

        assertThat(report.requests()).isPositive();
        assertThat(report.failed()).isZero();
        assertThat(report.statuses()).containsExactly(Map.entry("OK", report.requests()));
        assertThat(report.unfinished()).isZero();
        assertThat(report.server().cpuMillis()).isPositive();
        assertThat(report.answers().verifiedImages()).as("the first answer is the exact swap").isEqualTo(1);
    }

    @Test
    void grpcRunWithANewConnectionPerRequestHasNoErrors() throws Exception {
        BenchImage image = BenchImage.of("photo.png", TestImages.encode(TestImages.photoLike(64, 48, 4, 8, 9), ".png"));
        int port = ((ImageServiceApplication) APP.getApplication()).grpcServer().getPort();
        BenchOptions options = new BenchOptions(BenchTarget.parse("grpc://127.0.0.1:" + port), List.of(image),
                new LoadSettings(4, Duration.ZERO, Duration.ofMillis(1000), Duration.ofSeconds(30)),
                true, 1, HttpRequestSender.BodyKind.MULTIPART, null);

        BenchReport report = Bench.run(options);

        assertThat(report.requests()).isPositive();
        assertThat(report.failed()).isZero();
        assertThat(report.answers().unverified()).isEmpty();
        assertThat(report.answers().verifiedImages()).isEqualTo(1);
    }
}
