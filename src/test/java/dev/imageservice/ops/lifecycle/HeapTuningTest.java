package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapTuningTest {

    @Test
    void setsTheFreeRatiosNotSetOnTheCommandLineAndReportsThem() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption before = vm.getVMOption("MinHeapFreeRatio");
        boolean fromCommandLine = before.getOrigin() != VMOption.Origin.DEFAULT;

        var applied = HeapTuning.apply();

        if (fromCommandLine) {
            assertThat(applied).doesNotContainKey("MinHeapFreeRatio");
            assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(before.getValue());
        } else {
            assertThat(applied).containsEntry("MinHeapFreeRatio", "10").containsEntry("MaxHeapFreeRatio", "30");
            assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
            assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("30");
            assertThat(vm.getVMOption("MinHeapFreeRatio").getOrigin()).isEqualTo(VMOption.Origin.MANAGEMENT);
            assertThat(HeapTuning.describe()).isEqualTo("MaxHeapFreeRatio=30, MinHeapFreeRatio=10");
        }
        // Applied once: a second call finds them set (origin MANAGEMENT) and leaves them.
        assertThat(HeapTuning.apply()).isEmpty();
        assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(fromCommandLine ? before.getValue() : "10");
    }
}
