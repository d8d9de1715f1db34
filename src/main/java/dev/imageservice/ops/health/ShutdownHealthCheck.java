package dev.imageservice.ops.health;

import com.codahale.metrics.health.HealthCheck;
import java.util.Objects;

/**
 * Unhealthy from the moment shutdown begins, so that the admin {@code /healthcheck} turns 500 at the
 * same moment as gRPC health turns NOT_SERVING: during {@code ops.shutdownDrainDelay} a load balancer
 * that checks HTTP (HAProxy, a Kubernetes httpGet probe) sees the replica leave, while both
 * transports still answer.
 */
public final class ShutdownHealthCheck extends HealthCheck {
    private final GrpcHealthReporter reporter;

    public ShutdownHealthCheck(GrpcHealthReporter reporter) {
        this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    @Override
    protected Result check() {
        return reporter.isShuttingDown()
                ? Result.unhealthy("shutting down: draining, new work should go elsewhere")
                : Result.healthy("not shutting down");
    }
}
