package dev.imageservice.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolsTest {
    @Test
    void aMissingToolFailsOnCi() {
        assertThatThrownBy(() -> RequiredTools.require(false, () -> "needs /usr/bin/x", true))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true").hasMessageContaining("needs /usr/bin/x");
    }

    @Test
    void aMissingToolSkipsLocallyAndSaysSo() {
        assertThatThrownBy(() -> RequiredTools.require(false, () -> "needs /usr/bin/x", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("skipped").hasMessageContaining("needs /usr/bin/x");
    }

    @Test
    void aPresentToolDoesNothingAnywhere() {
        assertThatCode(() -> RequiredTools.require(true, () -> "unused", true)).doesNotThrowAnyException();
        assertThatCode(() -> RequiredTools.require(true, () -> "unused", false)).doesNotThrowAnyException();
    }
}
