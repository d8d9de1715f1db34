package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    @TempDir
    Path dir;

    private ApiKeys load(String content) throws Exception {
        return ApiKeys.load(Files.writeString(dir.resolve("keys"), content));
    }

    @Test
    void findsTheNameOfABearerKey() throws Exception {
        ApiKeys keys = load("# comment\n\n alice : key-of-alice-0123456789 \nbob:key-of-bob-0123456789:with-colon\n");
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.nameOfBearer("Bearer key-of-alice-0123456789")).contains("alice");
        assertThat(keys.nameOfBearer("bearer key-of-bob-0123456789:with-colon")).contains("bob");
        assertThat(keys.nameOfBearer("Bearer key-of-alice-012345678")).isEmpty();
        assertThat(keys.nameOfBearer("key-of-alice-0123456789")).isEmpty();
        assertThat(keys.nameOfBearer("Bearer ")).isEmpty();
        assertThat(keys.nameOfBearer(null)).isEmpty();
    }

    @Test
    void refusesAFileThatWouldNotDoWhatItsAuthorMeant() {
        assertThatThrownBy(() -> load("alice key-of-alice-0123456789\n")).hasMessageContaining("line 1: expected name:key");
        assertThatThrownBy(() -> load("alice:short\n")).hasMessageContaining("shorter than 16").hasMessageNotContaining("short\n");
        assertThatThrownBy(() -> load("a b:key-of-alice-0123456789\n")).hasMessageContaining("the name must be");
        assertThatThrownBy(() -> load("a:key-one-0123456789\na:key-two-0123456789\n")).hasMessageContaining("used twice");
        assertThatThrownBy(() -> load("# nothing\n")).hasMessageContaining("holds no key");
        assertThatThrownBy(() -> ApiKeys.load(dir.resolve("missing"))).hasMessageContaining("cannot read");
    }

    @Test
    void errorsNeverQuoteTheKey() {
        assertThatThrownBy(() -> load("a:key-one-0123456789\na:secret-key-0123456789\n"))
                .hasMessageNotContaining("secret-key");
    }
}
