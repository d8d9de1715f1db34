package dev.imageservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.testing.ConfigFiles;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped config.yml parses and validates; invalid values are refused with a clear message. */
class ConfigurationTest {
    @TempDir
    Path dir;

    private ImageServiceConfiguration load(String path) throws Exception {
        return ConfigFiles.load(Path.of(path));
    }

    @Test
    void shippedConfigParsesWithItsDocumentedDefaults() throws Exception {
        ImageServiceConfiguration config = load("config.yml");

        assertThat(config.getGrpc().getPort()).isEqualTo(50051);
        assertThat(config.getLimits().getMaxInputSize()).isEqualTo(DataSize.mebibytes(64));
        assertThat(config.getLimits().build().maxPixels()).isEqualTo(50_000_000L);
        assertThat(config.getLimits().build().maxConcurrent()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.getGrpc().getShutdownGracePeriod()).isEqualTo(Duration.seconds(20));
        assertThat(config.getGrpc().getExecutorThreads()).isZero(); // sized from the limits
    }

    @Test
    void negativeGrpcPortIsRefused() throws Exception {
        Path config = withGrpcPort("-1");

        assertThatThrownBy(() -> load(config.toString()))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("grpc.port must be greater than or equal to 0");
    }

    @Test
    void serverCommandRefusesAnInvalidConfigWithAClearMessage() throws Exception {
        Path config = withGrpcPort("70000");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ImageServiceApplication application = new ImageServiceApplication();
        Bootstrap<ImageServiceConfiguration> bootstrap = new Bootstrap<>(application);
        bootstrap.addCommand(new ServerCommand<>(application));
        application.initialize(bootstrap);
        Cli cli = new Cli(new JarLocation(getClass()), bootstrap, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));

        Optional<Throwable> failure = cli.run("server", config.toString());

        assertThat(failure).isPresent();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("grpc.port must be less than or equal to 65535");
    }

    private Path withGrpcPort(String port) throws Exception {
        return ConfigFiles.shippedWith(dir, "port: ${GRPC_PORT:-50051}", "port: " + port);
    }
}
