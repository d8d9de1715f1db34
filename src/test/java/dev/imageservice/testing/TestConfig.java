package dev.imageservice.testing;

import io.dropwizard.testing.ConfigOverride;
import java.util.ArrayList;
import java.util.List;

/** The shipped config.yml, on free ports, for apps started by tests. */
public final class TestConfig {
    /** Tests run from the project directory, so this is the file that ships. */
    public static final String CONFIG_PATH = "config.yml";

    private TestConfig() {
    }

    /** Port 0 for HTTP, admin and gRPC (so tests never clash with each other or a running service), plus {@code extra}. */
    public static ConfigOverride[] randomPorts(ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("grpc.port", "0")));
        overrides.addAll(List.of(extra));
        return overrides.toArray(ConfigOverride[]::new);
    }
}
