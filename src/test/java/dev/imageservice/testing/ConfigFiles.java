package dev.imageservice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads config files as the application does (environment substitution, validation). */
public final class ConfigFiles {
    private static final YamlConfigurationFactory<ImageServiceConfiguration> FACTORY = new YamlConfigurationFactory<>(
            ImageServiceConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

    private ConfigFiles() {
    }

    public static ImageServiceConfiguration load(Path path) throws Exception {
        return FACTORY.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                new EnvironmentVariableSubstitutor(false)), path.toString());
    }

    /** The shipped config.yml with one line changed, written into {@code dir}. */
    public static Path shippedWith(Path dir, String line, String replacement) throws Exception {
        String shipped = Files.readString(Path.of("config.yml"));
        String changed = shipped.replace(line, replacement);
        assertThat(changed).as("config.yml contains '%s'", line).isNotEqualTo(shipped);
        Path config = dir.resolve("config.yml");
        Files.writeString(config, changed);
        return config;
    }
}
