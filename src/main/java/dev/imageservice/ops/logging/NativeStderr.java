package dev.imageservice.ops.logging;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.imageservice.ops.requests.RequestIds;
import dev.imageservice.ops.requests.RequestsInWork;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes what C libraries print to the process's standard error (libpng's "libpng error: IDAT:
 * invalid chunk type", libjpeg's "Corrupt JPEG data: premature end of data segment", OpenCV's
 * warnings; tens of thousands of raw lines in a fuzz run) into the log: one WARN line each on
 * the logger {@code native}, at most {@value #LINES_PER_SECOND} a second (then one line saying
 * how many were left out).
 *
 * <p>How: file descriptor 2 is replaced by the write end of a pipe ({@code pipe2}, {@code dup2}
 * through JNA) that a daemon thread reads line by line. Java's own {@code System.err} is pointed at
 * a copy of the original descriptor, so it keeps writing where it did, unlogged. The JVM's crash
 * report and its {@code ExitOnOutOfMemoryError} message go to standard output and to the
 * {@code hs_err} file, which this does not touch. If the reading thread ever fails, descriptor 2 is
 * given back its original file, so a C library never blocks on a full pipe.
 *
 * <p>The line names the request that printed it when it can: the requests in image work when the
 * line was read, or that left it within {@link RequestsInWork#RECENT_NANOS} before (the line is read
 * a little after the C call printed it), are the candidates. One: "during request ID", with the id
 * also in the line's MDC like the request's own lines; a few: "during one of N requests: ID, ...";
 * more: "during N requests"; none: "request not known".
 */
public final class NativeStderr {
    /** Most lines logged per second; the rest are counted. */
    static final int LINES_PER_SECOND = 20;
    private static final int MAX_LINE_BYTES = 2000;
    private static final int O_CLOEXEC = 0x80000; // 02000000, Linux
    private static final int STDERR = 2;
    private static final Logger LOG = LoggerFactory.getLogger("native");

    /** The few libc calls needed; size_t/ssize_t as long (64-bit Linux). */
    interface LibC extends Library {
        int pipe2(int[] fds, int flags);

        int dup(int fd);

        int dup2(int oldFd, int newFd);

        int close(int fd);

        long read(int fd, byte[] buffer, long count);
    }

    private final LibC libc;
    private final int readFd;
    private final int originalFd;
    private long windowStart = System.nanoTime();
    private int linesInWindow;
    private long leftOut;

    private NativeStderr(LibC libc, int readFd, int originalFd) {
        this.libc = libc;
        this.readFd = readFd;
        this.originalFd = originalFd;
    }

    /**
     * Starts routing; call once, early in {@code main}. Does nothing (and returns false) off Linux
     * or where JNA cannot reach libc: the libraries then keep printing to standard error as before.
     */
    public static boolean routeIntoLog() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        LibC libc;
        int original;
        int[] fds = new int[2];
        try {
            libc = Native.load("c", LibC.class);
            original = libc.dup(STDERR);
            if (original < 0) {
                return false;
            }
            if (libc.pipe2(fds, O_CLOEXEC) != 0) {
                libc.close(original);
                return false;
            }
            // Java's System.err first, so nothing Java prints goes into the pipe.
            System.setErr(new PrintStream(new FileOutputStream("/proc/self/fd/" + original, true), true,
                    StandardCharsets.UTF_8));
        } catch (UnsatisfiedLinkError | RuntimeException | IOException e) {
            return false;
        }
        if (libc.dup2(fds[1], STDERR) < 0) {
            libc.close(fds[0]);
            libc.close(fds[1]);
            return false;
        }
        libc.close(fds[1]);
        NativeStderr reader = new NativeStderr(libc, fds[0], original);
        Thread thread = new Thread(reader::readLines, "native-stderr");
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    private void readLines() {
        byte[] buffer = new byte[8192];
        byte[] line = new byte[MAX_LINE_BYTES];
        int length = 0;
        try {
            for (long read = libc.read(readFd, buffer, buffer.length); read > 0; read = libc.read(readFd, buffer, buffer.length)) {
                for (int i = 0; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n' || length == line.length) {
                        log(new String(line, 0, length, StandardCharsets.UTF_8));
                        length = 0;
                        if (b == '\n') {
                            continue;
                        }
                    }
                    if (b != '\r') {
                        line[length++] = b;
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            // Give the libraries their standard error back rather than let them block on the pipe.
            libc.dup2(originalFd, STDERR);
            LOG.warn("native library messages are no longer routed into the log: {}", e.toString());
        }
    }

    private void log(String text) {
        if (text.isBlank()) {
            return;
        }
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            if (leftOut > 0) {
                LOG.warn("{} more lines from native libraries were not logged (over {} a second)", leftOut, LINES_PER_SECOND);
            }
            windowStart = now;
            linesInWindow = 0;
            leftOut = 0;
        }
        if (linesInWindow < LINES_PER_SECOND) {
            linesInWindow++;
            List<String> candidates = RequestsInWork.INSTANCE.candidates(now);
            if (candidates.size() == 1) {
                MDC.put(RequestIds.MDC_REQUEST_ID, candidates.get(0));
            }
            LOG.warn("{} (printed by a native library{})", text.strip(), RequestsInWork.describe(candidates));
            MDC.remove(RequestIds.MDC_REQUEST_ID);
        } else {
            leftOut++;
        }
    }
}
