package dev.imageservice.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place ({@code \r}) on a terminal; silent elsewhere (a pipe or
 * a log file gets only the summary).
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean enabled;
    private final int total;
    private long lastDrawNanos;

    ProgressBar(PrintStream out, boolean enabled, int total) {
        this.out = out;
        this.enabled = enabled;
        this.total = total;
    }

    /** Redraws at most every 100 ms, and always for the last image. */
    synchronized void update(int done, int failed, long bytesIn, long bytesOut) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        int finished = done + failed;
        if (finished < total && now - lastDrawNanos < 100_000_000L) {
            return;
        }
        lastDrawNanos = now;
        int filled = total == 0 ? WIDTH : (int) ((long) finished * WIDTH / total);
        out.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d%s  %.1f MB in, %.1f MB out", "#".repeat(filled),
                ".".repeat(WIDTH - filled), finished, total, failed > 0 ? " (" + failed + " failed)" : "",
                bytesIn / 1e6, bytesOut / 1e6));
        if (finished == total) {
            out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
        }
        out.flush();
    }
}
