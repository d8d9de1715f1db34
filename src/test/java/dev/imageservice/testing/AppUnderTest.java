package dev.imageservice.testing;

import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The real application with the shipped config.yml, on random free ports. */
public final class AppUnderTest {

    private AppUnderTest() {
    }

    /** The shipped config.yml at the top of the project (tests run with the project as working dir). */
    public static String shippedConfig() {
        Path config = Path.of("config.yml").toAbsolutePath();
        return config.toString();
    }

    public static DropwizardAppExtension<ImageServiceConfiguration> extension(ConfigOverride... overrides) {
        return new DropwizardAppExtension<>(ImageServiceApplication.class, shippedConfig(), withRandomPorts(overrides));
    }

    public static ConfigOverride[] withRandomPorts(ConfigOverride... overrides) {
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("grpc.port", "0"),
                ConfigOverride.config("logging.level", "WARN")));
        all.addAll(Arrays.asList(overrides));
        return all.toArray(new ConfigOverride[0]);
    }

    /** The bound gRPC port of a running app. */
    public static int grpcPort(DropwizardAppExtension<ImageServiceConfiguration> app) {
        return app.<ImageServiceApplication>getApplication().grpcServer().getPort();
    }

}
