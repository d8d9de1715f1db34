package dev.imageservice.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's CPU time and resident memory from Linux's /proc, the same figures as
 * {@code /proc/PID/stat} (utime + stime) and {@code /proc/PID/status} (VmHWM, VmRSS) that
 * docs/PERFORMANCE.md reads by hand.
 */
public final class ProcessProbe {
    private final long pid;
    private final Path proc;
    private final long ticksPerSecond;

    public ProcessProbe(long pid) {
        this(pid, Path.of("/proc"), clockTicksPerSecond());
    }

    ProcessProbe(long pid, Path proc, long ticksPerSecond) {
        this.pid = pid;
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
        if (!Files.isReadable(proc.resolve(Long.toString(pid)).resolve("stat"))) {
            throw new IllegalArgumentException("no process " + pid + " to watch (" + proc + "/" + pid + "/stat not readable)");
        }
    }

    public long pid() {
        return pid;
    }

    /** User plus system CPU time the process has used since it started, in milliseconds. */
    public double cpuMillis() {
        String stat = read("stat");
        // The command name (field 2) is in parentheses and may contain spaces: split after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000.0 / ticksPerSecond;
    }

    /** Peak resident set size (VmHWM) in KiB. */
    public long peakRssKiB() {
        return statusKiB("VmHWM:");
    }

    /** Current resident set size (VmRSS) in KiB. */
    public long rssKiB() {
        return statusKiB("VmRSS:");
    }

    private long statusKiB(String key) {
        for (String line : read("status").split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + key + " in /proc/" + pid + "/status");
    }

    private String read(String file) {
        try {
            return Files.readString(proc.resolve(Long.toString(pid)).resolve(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/" + file + ": " + e.getMessage(), e);
        }
    }

    /** USER_HZ, the unit of utime/stime: 100 on every mainstream Linux, asked of getconf to be sure. */
    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
