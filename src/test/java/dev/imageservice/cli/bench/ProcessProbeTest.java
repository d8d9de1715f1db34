package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ProcessProbeTest {

    @Test
    void readsCpuTimeAndMemoryFromProcFiles(@TempDir Path proc) throws IOException {
        Path dir = Files.createDirectories(proc.resolve("4242"));
        // A command name with spaces and parentheses, as Linux allows; utime 1234, stime 566 ticks.
        Files.writeString(dir.resolve("stat"),
                "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 566 0 0 20 0 40 0 100 0 0\n");
        Files.writeString(dir.resolve("status"),
                "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  987654 kB\nVmRSS:\t  456789 kB\nThreads:\t40\n");

        ProcessProbe probe = new ProcessProbe(4242, proc, 100);

        assertThat(probe.cpuMillis()).isEqualTo(18_000.0);
        assertThat(probe.peakRssKiB()).isEqualTo(987_654);
        assertThat(probe.rssKiB()).isEqualTo(456_789);
    }

    @Test
    void missingProcessIsRefusedAtOnce(@TempDir Path proc) {
        assertThatThrownBy(() -> new ProcessProbe(4242, proc, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no process 4242");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsThisVeryProcess() {
        ProcessProbe probe = new ProcessProbe(ProcessHandle.current().pid());

        assertThat(probe.cpuMillis()).isPositive();
        long rss = probe.rssKiB(); // first: the peak read after it can only be as high or higher
        assertThat(probe.peakRssKiB()).isGreaterThanOrEqualTo(rss).isPositive();
    }
}
