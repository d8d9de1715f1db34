package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeMemoryTuningTest {

    @Test
    void appliesOnGlibcUnlessTheEnvironmentSetsTheAllocator() {
        // An allocator set up by the environment is left as it is: then nothing is applied.
        boolean environmentSetsIt = System.getenv("MALLOC_MMAP_THRESHOLD_") != null || System.getenv("MALLOC_ARENA_MAX") != null;
        boolean glibc = Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6")) || Files.exists(Path.of("/lib64/libc.so.6"))
                || Files.exists(Path.of("/lib/aarch64-linux-gnu/libc.so.6"));
        assertThat(NativeMemoryTuning.apply()).isEqualTo(glibc && !environmentSetsIt);
        // Large blocks still allocate and free normally afterwards.
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(8 << 20);
        direct.put(0, (byte) 1);
        assertThat(direct.get(0)).isEqualTo((byte) 1);
    }
}
