package dev.imageservice.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A check that blocks (its probe waiting behind image work) does not block the probes that ask for it. */
class CachedHealthCheckTest {
    @Test
    void answersWithTheLastResultWhileTheRefreshWaits() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HealthCheck slow = new HealthCheck() {
            @Override
            protected Result check() throws Exception {
                if (runs.incrementAndGet() > 1) {
                    release.await();
                    return Result.unhealthy("second run");
                }
                return Result.healthy("first run");
            }
        };
        ExecutorService refresher = Executors.newSingleThreadExecutor();
        try {
            CachedHealthCheck cached = new CachedHealthCheck(slow, refresher, 0);
            assertThat(cached.execute().getMessage()).isEqualTo("first run"); // the first one runs in the caller

            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(cached.execute().getMessage()).isEqualTo("first run");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
            long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runs.get() < 2 && System.nanoTime() < started) {
                Thread.sleep(5); // the refresh starts on the refresher's thread
            }
            assertThat(cached.execute().getMessage()).isEqualTo("first run");
            assertThat(runs.get()).as("one refresh at a time").isEqualTo(2);

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (cached.execute().isHealthy() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(cached.execute().getMessage()).isEqualTo("second run");
        } finally {
            refresher.shutdownNow();
        }
    }
}
