package dev.imageservice.processing.format;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;

/** Shared checks of the reader tests. */
final class ProbeAssertions {
    private ProbeAssertions() {
    }

    /** The probe refuses {@code data} for {@code reason}, with a message containing {@code part}. */
    static AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] data, FormatException.Reason reason, String part) {
        return assertThatThrownBy(() -> FormatProbe.probe(data))
                .isInstanceOfSatisfying(FormatException.class, e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(part);
    }
}
