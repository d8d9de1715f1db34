package dev.imageservice.ops.health;

import com.codahale.metrics.health.HealthCheck;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers with the last result of a slow check at once, and refreshes it in the background when
 * it is older than {@code maxAgeNanos}. The processor check's probe waits for admission like any
 * image, so under full load a direct run took up to 5 s; a probe (liveness, load balancer) must
 * not wait behind image work. Only the very first check runs in the caller (at startup).
 */
public final class CachedHealthCheck extends HealthCheck {
    private final HealthCheck delegate;
    private final Executor refresher;
    private final long maxAgeNanos;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Result last;
    private volatile long lastAtNanos;

    public CachedHealthCheck(HealthCheck delegate, Executor refresher, long maxAgeNanos) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
        this.maxAgeNanos = maxAgeNanos;
    }

    @Override
    protected Result check() {
        Result result = last;
        if (result == null) {
            synchronized (this) {
                if (last == null) {
                    refresh();
                }
                return last;
            }
        }
        if (System.nanoTime() - lastAtNanos > maxAgeNanos && refreshing.compareAndSet(false, true)) {
            try {
                refresher.execute(() -> {
                    try {
                        refresh();
                    } finally {
                        refreshing.set(false);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                refreshing.set(false);
            }
        }
        return result;
    }

    private void refresh() {
        Result result = delegate.execute(); // never throws: a failure is an unhealthy result
        lastAtNanos = System.nanoTime();
        last = result;
    }
}
