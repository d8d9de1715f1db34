package dev.imageservice.processing;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small, bounded pool of byte arrays of one G1 heap region each ({@link #BYTES}), the arrays that
 * an answer's pieces ({@link OutputPieces}) and gRPC's framing buffers are made of.
 *
 * <p>Why: under G1 every such array is a "humongous" object, and each humongous allocation checks
 * the heap's occupancy against the (adaptive) threshold for starting a concurrent marking cycle. A
 * 12 MP answer is ~24 of them, and over gRPC as many framing buffers again: one request at a time,
 * that started a "Pause Young (Concurrent Start) (G1 Humongous Allocation)" and a marking cycle
 * that found nothing to do about every second request, 19-49 ms of G1 CPU per request
 * (docs/PERFORMANCE.md 4.5.3). Arrays taken from here and given back once their last user is done
 * are allocated once and then live in their regions, never copied by a young collection.
 *
 * <p>The pool keeps at most {@link #MAX_IDLE} arrays idle ({@value #MAX_IDLE_BYTES_CAP} bytes or a
 * sixteenth of the heap, whichever is less): arrays in use are the answers' bytes the memory
 * budget already counts; an array given back when the pool is full is left to the collector. An
 * array must be given back only when nothing refers to it any more; one given back twice while
 * still idle is refused ({@link IllegalStateException}). Arrays of another length are never kept.
 */
public final class RegionArrays {
    /** One G1 region less room for the array's header; 256 KiB under other collectors. */
    public static final int BYTES = regionBytes();
    static final long MAX_IDLE_BYTES_CAP = 32L << 20;
    /** The most arrays kept idle. */
    public static final int MAX_IDLE = (int) Math.max(1,
            Math.min(MAX_IDLE_BYTES_CAP, Runtime.getRuntime().maxMemory() / 16) / BYTES);

    private static final byte[][] IDLE = new byte[MAX_IDLE][];
    private static int idleCount; // guarded by IDLE
    private static final AtomicLong ALLOCATED = new AtomicLong();
    private static final AtomicLong REUSED = new AtomicLong();
    private static final AtomicLong OUT = new AtomicLong();

    private RegionArrays() {
    }

    /** An array of {@link #BYTES}, idle in the pool or new; its contents are not cleared. */
    public static byte[] take() {
        byte[] array = null;
        synchronized (IDLE) {
            if (idleCount > 0) {
                array = IDLE[--idleCount];
                IDLE[idleCount] = null;
            }
        }
        OUT.incrementAndGet();
        if (array != null) {
            REUSED.incrementAndGet();
            return array;
        }
        ALLOCATED.incrementAndGet();
        return new byte[BYTES];
    }

    /**
     * Gives back an array that {@link #take()} handed out and that nothing refers to any more: kept
     * for the next {@link #take()} while fewer than {@link #MAX_IDLE} are idle, else left to the collector.
     *
     * @throws IllegalStateException if the array is already idle in the pool (given back twice)
     */
    public static void give(byte[] array) {
        if (array.length != BYTES) {
            throw new IllegalArgumentException("not a pool array: " + array.length + " bytes");
        }
        synchronized (IDLE) {
            for (int i = 0; i < idleCount; i++) {
                if (IDLE[i] == array) {
                    throw new IllegalStateException("an array was given back twice");
                }
            }
            if (idleCount < MAX_IDLE) {
                IDLE[idleCount++] = array;
            }
        }
        OUT.decrementAndGet();
    }

    /**
     * Counts {@code count} arrays as no longer in use without taking them back: their last user may
     * still read them (an answer whose write failed), so they are left to the collector.
     */
    public static void forget(int count) {
        OUT.addAndGet(-count);
    }

    /** Arrays handed out and neither given back nor forgotten (0 when no call holds any). */
    public static long inUse() {
        return OUT.get();
    }

    /** Arrays idle in the pool. */
    public static int idle() {
        synchronized (IDLE) {
            return idleCount;
        }
    }

    /** Arrays allocated because none was idle, since the start. */
    public static long allocated() {
        return ALLOCATED.get();
    }

    /** Arrays handed out again from the pool, since the start. */
    public static long reused() {
        return REUSED.get();
    }

    private static int regionBytes() {
        try {
            var vm = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                if (region >= (1 << 20) && region <= (64 << 20)) {
                    return (int) region - 64;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot: the portable size below
        }
        return 256 * 1024;
    }
}
