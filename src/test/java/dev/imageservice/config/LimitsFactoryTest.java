package dev.imageservice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.testing.ConfigFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits.memoryBudget}: derived from the heap unless set. */
class LimitsFactoryTest {
    private static final String SHIPPED = "memoryBudget: ${MEMORY_BUDGET:-0B}";

    @TempDir
    Path dir;

    @Test
    void theBudgetForAHeapIsFiveEighthsOfIt() {
        assertThat(LimitsFactory.budgetForHeap(1L << 30)).isEqualTo(640L << 20); // java -Xmx1g
        assertThat(LimitsFactory.budgetForHeap(576L << 20)).isEqualTo(360L << 20); // the README's java -Xmx576m
        assertThat(LimitsFactory.budgetForHeap(512L << 20)).isEqualTo(320L << 20);
        assertThat(LimitsFactory.budgetForHeap(8L << 20)).isEqualTo(16L << 20); // never below 16 MiB
        assertThat(LimitsFactory.budgetForHeap(Long.MAX_VALUE)).isEqualTo(640L << 20); // no heap limit
    }

    @Test
    void shippedConfigDerivesTheBudgetFromThisJvmsHeap() throws Exception {
        long budget = ConfigFiles.load(Path.of("config.yml")).getLimits().build().memoryBudgetBytes();

        assertThat(budget).isEqualTo(LimitsFactory.budgetForHeap(Runtime.getRuntime().maxMemory()));
    }

    @Test
    void aBudgetSetInTheConfigIsKept() throws Exception {
        Path config = ConfigFiles.shippedWith(dir, SHIPPED, "memoryBudget: 200MiB");

        assertThat(ConfigFiles.load(config).getLimits().build().memoryBudgetBytes()).isEqualTo(200L << 20);
    }

    @Test
    void aBudgetBelow16MiBIsRefused() throws Exception {
        Path config = ConfigFiles.shippedWith(dir, SHIPPED, "memoryBudget: 8MiB");

        assertThatThrownBy(() -> ConfigFiles.load(config)).hasMessageContaining("limits.memoryBudget");
    }
}
