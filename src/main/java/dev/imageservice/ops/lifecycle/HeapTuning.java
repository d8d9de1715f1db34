package dev.imageservice.ops.lifecycle;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets the heap's free-space ratios at startup (manageable flags, through
 * {@link HotSpotDiagnosticMXBean}), so that G1 sizes the heap to what is live rather than to 1.7x it.
 *
 * <p>Why: after each concurrent mark G1 grows the committed heap until 40% of it is free
 * ({@code MinHeapFreeRatio}'s default). Under 200 concurrent 12 MP calls a mark counts everything
 * allocated while it runs as live (450-650 MB), so G1 committed all of {@code -Xmx1g} and the
 * process's peak RSS passed 1.3 GiB (docs/PERFORMANCE.md 5.6, "Sixth pass"). With 10% free it grows
 * only as far as the live data needs, and with at most 30% free it gives back what a burst left.
 * Expansion for GC time ({@code GCTimeRatio}) is unchanged.
 *
 * <p>A flag set on the command line ({@code -XX:MinHeapFreeRatio=...}) is left as it is.
 */
public final class HeapTuning {
    /** The settings, in the order they are applied (Min before Max: Min may not exceed Max). */
    static final Map<String, String> SETTINGS = Map.of("MinHeapFreeRatio", "10", "MaxHeapFreeRatio", "30");

    private static volatile Map<String, String> applied = Map.of();

    private HeapTuning() {
    }

    /**
     * Applies the settings not set on the command line; call once at startup.
     *
     * @return what was set, flag to value (empty on a JVM without these flags)
     */
    public static Map<String, String> apply() {
        Map<String, String> done = new LinkedHashMap<>();
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            for (String flag : new String[] {"MinHeapFreeRatio", "MaxHeapFreeRatio"}) {
                VMOption option = vm.getVMOption(flag);
                if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
                    vm.setVMOption(flag, SETTINGS.get(flag));
                    done.put(flag, SETTINGS.get(flag));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or the flags are not there: the JVM's defaults stay
        }
        if (!done.isEmpty()) {
            applied = Map.copyOf(done);
        }
        return Map.copyOf(done);
    }

    /** What {@link #apply()} set, for the startup log. */
    public static String describe() {
        return applied.isEmpty() ? "JVM defaults (set on the command line, or not HotSpot)"
                : applied.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
