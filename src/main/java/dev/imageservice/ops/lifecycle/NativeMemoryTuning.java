package dev.imageservice.ops.lifecycle;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Makes the C allocator give large freed blocks back to the system, so that the process's resident
 * memory follows what the service holds instead of its high-water mark.
 *
 * <p>Why: the decoded pixels (OpenCV Mats), the input copies handed to libjpeg-turbo and Netty's
 * direct buffers for answers are all malloc'd, from many threads. glibc raises its mmap threshold
 * each time a large block is freed (up to 32 MiB), after which blocks of a few MiB come from the
 * threads' arenas (64 MiB each, up to 8 per core), which keep freed memory for reuse: under 200
 * concurrent 12 MP requests, ten such arenas held 620 MiB of resident memory that nothing used.
 * A fixed threshold of 256 KiB (glibc's dynamic one starts at 128 KiB) maps every large block
 * and unmaps it on free; at most two arenas per core keep the rest compact. The cost is a page
 * fault per 4 KiB of a large block on first use, a few ms on a 12 MP image that takes ~280 ms.
 *
 * <p>The same can be set from outside with {@code MALLOC_MMAP_THRESHOLD_=262144 MALLOC_ARENA_MAX=4};
 * when either is set, or the C library is not glibc, nothing is changed here.
 */
public final class NativeMemoryTuning {
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_ARENA_MAX = -8;
    static final int MMAP_THRESHOLD_BYTES = 256 * 1024;

    private NativeMemoryTuning() {
    }

    /**
     * Applies the settings; call first thing in main, before the threads that allocate exist.
     *
     * @return whether they were applied (false off glibc, or when the environment sets them)
     */
    public static boolean apply() {
        if (System.getenv("MALLOC_MMAP_THRESHOLD_") != null || System.getenv("MALLOC_ARENA_MAX") != null
                || !System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            NativeLibrary libc = NativeLibrary.getInstance("c");
            libc.getFunction("gnu_get_libc_version"); // only glibc has it: musl's mallopt does nothing
            Function mallopt = libc.getFunction("mallopt");
            int cores = Runtime.getRuntime().availableProcessors();
            boolean ok = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES}) == 1
                    & mallopt.invokeInt(new Object[] {M_ARENA_MAX, 2 * cores}) == 1;
            return ok;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // not glibc, or no JNA native support here: the allocator's defaults stay
        }
    }
}
