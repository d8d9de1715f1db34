package dev.imageservice.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.codahale.metrics.health.jvm.ThreadDeadlockHealthCheck;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Probing /healthcheck often does not stop the process for a deadlock search each time. */
class ProbeSafeChecksTest {
    @Test
    void manyProbesRunTheDeadlockSearchOnceWithinItsInterval() {
        AtomicInteger searches = new AtomicInteger();
        ThreadDeadlockHealthCheck real = new ThreadDeadlockHealthCheck();
        HealthCheck counting = new HealthCheck() {
            @Override
            protected Result check() {
                searches.incrementAndGet();
                return real.execute();
            }
        };
        HealthCheckRegistry checks = new HealthCheckRegistry();
        checks.register(ProbeSafeChecks.DEADLOCKS, counting);
        ExecutorService refresher = Executors.newSingleThreadExecutor();
        try {
            assertThat(ProbeSafeChecks.cacheDeadlockCheck(checks, refresher)).isTrue();
            assertThat(ProbeSafeChecks.cacheDeadlockCheck(checks, refresher)).as("already cached").isFalse();
            for (int i = 0; i < 200; i++) {
                HealthCheck.Result result = checks.runHealthCheck(ProbeSafeChecks.DEADLOCKS);
                assertThat(result.isHealthy()).isTrue();
            }
            assertThat(searches.get()).isEqualTo(1);
        } finally {
            refresher.shutdownNow();
            checks.shutdown();
        }
    }

    @Test
    void withoutADeadlockCheckNothingIsRegistered() {
        HealthCheckRegistry checks = new HealthCheckRegistry();
        assertThat(ProbeSafeChecks.cacheDeadlockCheck(checks, Runnable::run)).isFalse();
        assertThat(checks.getNames()).isEmpty();
        checks.shutdown();
    }
}
