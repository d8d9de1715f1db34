package dev.imageservice.testing;

import dev.imageservice.processing.Limits;
import java.util.concurrent.TimeUnit;

/** Limits for tests of the processor on its own. */
public final class TestLimits {
    public static final Limits DEFAULTS = new Limits(64L << 20, 50_000_000L, 2, 1L << 30, 100, TimeUnit.SECONDS.toNanos(30));

    private TestLimits() {
    }
}
