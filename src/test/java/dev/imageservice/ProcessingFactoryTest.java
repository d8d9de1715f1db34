package dev.imageservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageservice.processing.Codecs;
import io.dropwizard.configuration.ConfigurationParsingException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code processing.codecs} in config.yml: fast by default, opencv on request, nothing else. */
class ProcessingFactoryTest {
    private final ObjectMapper mapper = Jackson.newObjectMapper();
    private final YamlConfigurationFactory<ImageServiceConfiguration> factory =
            new YamlConfigurationFactory<>(ImageServiceConfiguration.class, Validators.newValidator(), mapper, "dw");

    @TempDir
    Path dir;

    private ImageServiceConfiguration load(Path path) throws Exception {
        return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                new EnvironmentVariableSubstitutor(false)), path.toString());
    }

    private Path withCodecs(String value) throws Exception {
        String shipped = Files.readString(Path.of("config.yml"));
        String changed = shipped.replace("codecs: ${CODECS:-fast}", "codecs: " + value);
        assertThat(changed).isNotEqualTo(shipped);
        Path config = dir.resolve("config.yml");
        Files.writeString(config, changed);
        return config;
    }

    @Test
    void shippedConfigUsesTheFastCodecs() throws Exception {
        assertThat(load(Path.of("config.yml")).getProcessing().getCodecs()).isEqualTo(Codecs.FAST);
    }

    @Test
    void opencvSelectsTheStockCodecs() throws Exception {
        assertThat(load(withCodecs("opencv")).getProcessing().getCodecs()).isEqualTo(Codecs.OPENCV);
    }

    @Test
    void unknownCodecsAreRefused() throws Exception {
        Path config = withCodecs("turbo");

        assertThatThrownBy(() -> load(config))
                .isInstanceOf(ConfigurationParsingException.class)
                .hasMessageContaining("processing.codecs");
    }
}
