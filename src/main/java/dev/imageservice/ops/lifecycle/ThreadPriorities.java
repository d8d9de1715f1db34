package dev.imageservice.ops.lifecycle;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run at a lower OS priority than the rest of the process, for the image work: on a
 * busy machine the event loops, the admin port's probes ({@code /ping}, {@code /healthcheck}) and
 * the garbage collector's threads then get the cores first, and image work takes what is left.
 *
 * <p>Java thread priorities do nothing on Linux (without {@code -XX:ThreadPriorityPolicy=1}, which
 * needs root), but Linux threads are tasks with a nice value of their own: each thread made here
 * raises its own nice value by the given increment ({@code setpriority(PRIO_PROCESS, 0, ...)}
 * through JNA, which on Linux applies to the calling thread only) before it runs anything. Raising
 * a nice value needs no privilege. Elsewhere, or if libc cannot be reached, threads are made at
 * the normal priority.
 */
public final class ThreadPriorities {
    private static final int PRIO_PROCESS = 0;
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    interface LibC extends Library {
        int getpriority(int which, int who);

        int setpriority(int which, int who, int prio);
    }

    private ThreadPriorities() {
    }

    /**
     * A factory of non-daemon threads named by {@code nameFormat} (e.g. {@code "image-work-%d"})
     * whose nice value is {@code niceIncrement} above the process's (0: unchanged; nice caps at 19).
     */
    public static ThreadFactory lowered(String nameFormat, int niceIncrement) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> new Thread(() -> {
            lowerCurrentThread(niceIncrement);
            runnable.run();
        }, String.format(Locale.ROOT, nameFormat, count.getAndIncrement()));
    }

    /** Raises the calling thread's nice value by {@code increment}; false if it could not. */
    static boolean lowerCurrentThread(int increment) {
        if (increment <= 0 || !LINUX) {
            return false;
        }
        try {
            LibC libc = Holder.LIBC;
            int current = libc.getpriority(PRIO_PROCESS, 0);
            return libc.setpriority(PRIO_PROCESS, 0, Math.min(19, current + increment)) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** The calling thread's nice value (Linux), for tests and the startup log. */
    static int currentNice() {
        return Holder.LIBC.getpriority(PRIO_PROCESS, 0);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }
}
