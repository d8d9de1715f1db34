package dev.imageservice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.processing.codec.Codecs;
import dev.imageservice.testing.ConfigFiles;
import io.dropwizard.configuration.ConfigurationParsingException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code processing.codecs} in config.yml: fast by default, opencv on request, nothing else. */
class ProcessingFactoryTest {
    @TempDir
    Path dir;

    private ImageServiceConfiguration load(Path path) throws Exception {
        return ConfigFiles.load(path);
    }

    private Path withCodecs(String value) throws Exception {
        return ConfigFiles.shippedWith(dir, "codecs: ${CODECS:-fast}", "codecs: " + value);
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
