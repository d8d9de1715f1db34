package dev.imageservice.ops.lifecycle;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Caps the C allocator's arenas, so that the process's resident memory follows what the service
 * holds instead of the high-water mark of many arenas.
 *
 * <p>Why: the decoded pixels (OpenCV Mats), the input copies handed to libjpeg-turbo and Netty's
 * direct buffers for answers are all malloc'd, from many threads. glibc gives each thread that
 * contends for the allocator an arena of its own (up to 8 per core), and an arena keeps freed
 * memory for reuse: under 200 concurrent 12 MP requests, ten 64 MiB arenas held 620 MiB of
 * resident memory that nothing used. Two arenas per core keep that compact.
 *
 * <p>The mmap threshold is left to glibc (it rises as large blocks are freed, up to 32 MiB). A
 * fixed 256 KiB threshold, tried first, mapped and unmapped every large block, and on this kind of
 * VM a fresh page costs a fault of ~4 ms a MiB: 12 MP calls over gRPC took 412-449 ms of server
 * CPU each with it against 226-251 ms without (side by side, 8 clients), for no lower peak RSS
 * under 200 clients (1,705 against 1,647 MiB).
 *
 * <p>The same can be set from outside with {@code MALLOC_ARENA_MAX=4}; when it or
 * {@code MALLOC_MMAP_THRESHOLD_} is set, or the C library is not glibc, nothing is changed here.
 */
public final class NativeMemoryTuning {
    private static final int M_ARENA_MAX = -8;

    private NativeMemoryTuning() {
    }

    /**
     * Applies the setting; call first thing in main, before the threads that allocate exist.
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
            return mallopt.invokeInt(new Object[] {M_ARENA_MAX, 2 * cores}) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // not glibc, or no JNA native support here: the allocator's defaults stay
        }
    }
}
