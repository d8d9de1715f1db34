package dev.imageservice.ops.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.dropwizard.lifecycle.Managed;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the gRPC health service ({@code grpc.health.v1.Health}) from Dropwizard's health checks:
 * the same checks as the admin {@code /healthcheck}, re-run every interval. All healthy means
 * SERVING, anything unhealthy NOT_SERVING, for each of the given gRPC service names.
 *
 * <p>When shutdown begins ({@link dev.imageservice.ops.lifecycle.ShutdownSequence}), every service becomes NOT_SERVING for good.
 */
public final class GrpcHealthReporter implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcHealthReporter.class);

    private final HealthStatusManager health;
    private final HealthCheckRegistry checks;
    private final List<String> serviceNames;
    private final long intervalMillis;
    private ScheduledExecutorService scheduler;
    private volatile ServingStatus lastStatus;
    private volatile boolean terminal;

    public GrpcHealthReporter(HealthStatusManager health, HealthCheckRegistry checks, List<String> serviceNames,
            long intervalMillis) {
        this.health = Objects.requireNonNull(health, "health");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.serviceNames = List.copyOf(serviceNames);
        this.intervalMillis = intervalMillis;
    }

    /** Runs the checks now (so the status is right from the first call), then every interval. */
    @Override
    public void start() {
        update();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "grpc-health-reporter");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::updateSafely, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopScheduler();
        enterTerminalState();
    }

    /** Shutdown has begun: NOT_SERVING from now on, whatever the checks say. */
    public void shutdownBegins() {
        stopScheduler();
        enterTerminalState();
    }

    /** True once shutdown has begun (or the reporter stopped): the status stays NOT_SERVING. */
    public boolean isShuttingDown() {
        return terminal;
    }

    /** True while the last run of the checks passed and shutdown has not begun: what gRPC health says. */
    public boolean isServing() {
        return !terminal && lastStatus == ServingStatus.SERVING;
    }

    /** Runs every health check once and sets the gRPC status from the results. */
    void update() {
        if (terminal) {
            return;
        }
        SortedMap<String, HealthCheck.Result> results = checks.runHealthChecks();
        Map<String, HealthCheck.Result> unhealthy = results.entrySet().stream()
                .filter(e -> !e.getValue().isHealthy())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        ServingStatus status = unhealthy.isEmpty() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        synchronized (this) {
            if (terminal) {
                return;
            }
            serviceNames.forEach(name -> health.setStatus(name, status));
        }
        if (status != lastStatus) {
            if (status == ServingStatus.SERVING) {
                LOG.info("gRPC health: SERVING (all {} checks healthy)", results.size());
            } else {
                LOG.warn("gRPC health: NOT_SERVING; unhealthy: {}", unhealthy.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue().getMessage() + ")")
                        .collect(Collectors.joining(", ")));
            }
            lastStatus = status;
        }
    }

    private void updateSafely() {
        try {
            update();
        } catch (RuntimeException e) {
            // An exception would cancel the schedule and freeze the last status; keep checking.
            LOG.error("gRPC health update failed", e);
        }
    }

    private synchronized void enterTerminalState() {
        if (!terminal) {
            terminal = true;
            health.enterTerminalState();
            LOG.info("gRPC health: NOT_SERVING (shutting down)");
        }
    }

    private void stopScheduler() {
        ScheduledExecutorService current = scheduler;
        if (current != null) {
            current.shutdownNow();
        }
    }
}
