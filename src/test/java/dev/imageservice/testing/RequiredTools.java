package dev.imageservice.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need an installed tool (Chromium, Prometheus, pngcheck, libturbojpeg): on a developer's
 * machine without it they skip with a message that says how to install it; on CI ({@code CI=true},
 * set by .ci/run, which installs every tool) a missing tool fails the test, so that a broken install
 * can never turn into a green run that checked nothing.
 */
public final class RequiredTools {
    private RequiredTools() {
    }

    /** Skips (locally) or fails (on CI) the test unless {@code present}; {@code missing} says what is missing. */
    public static void require(boolean present, String missing) {
        require(present, () -> missing);
    }

    /** As {@link #require(boolean, String)}, with the message made only when needed. */
    public static void require(boolean present, Supplier<String> missing) {
        require(present, missing, onCi());
    }

    static void require(boolean present, Supplier<String> missing, boolean onCi) {
        if (present) {
            return;
        }
        if (onCi) {
            Assertions.fail("CI=true, so a missing tool is a failure, not a skip: " + missing.get());
        }
        Assumptions.abort("skipped (would fail on CI): " + missing.get());
    }

    /**
     * For a test that checks a part only where the tool is installed: {@code present} locally, and on
     * CI a failure when it is missing.
     */
    public static boolean checkedPart(boolean present, String missing) {
        if (!present && onCi()) {
            Assertions.fail("CI=true, so a missing tool is a failure, not a skipped check: " + missing);
        }
        return present;
    }

    /** True on CI: .ci/run sets {@code CI=true}, as GitHub Actions and most CI systems do. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
