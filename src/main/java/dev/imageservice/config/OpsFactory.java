package dev.imageservice.config;

import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageservice.ops.health.GrpcHealthReporter;
import dev.imageservice.ops.lifecycle.ShutdownSequence;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code ops:} section of config.yml: how health is reported and how shutdown drains. */
public class OpsFactory {

    /** How often the health checks are re-run to update the gRPC health status. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    private Duration healthCheckInterval = Duration.seconds(5);

    /**
     * On shutdown, how long the gRPC health status says NOT_SERVING while the servers still answer,
     * before they stop taking new work. Set it to the health-check period of the load balancer in
     * front (0 stops at once).
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    private Duration shutdownDrainDelay = Duration.seconds(0);

    /**
     * How much lower the OS priority (nice value) of the image work threads is than the rest of the
     * process, so probes, event loops and the GC get the cores first when the machine is busy.
     */
    @Min(0)
    @Max(19)
    private int imageWorkNice = 0;

    @JsonProperty
    public int getImageWorkNice() {
        return imageWorkNice;
    }

    @JsonProperty
    public void setImageWorkNice(int imageWorkNice) {
        this.imageWorkNice = imageWorkNice;
    }

    @JsonProperty
    public Duration getHealthCheckInterval() {
        return healthCheckInterval;
    }

    @JsonProperty
    public void setHealthCheckInterval(Duration healthCheckInterval) {
        this.healthCheckInterval = healthCheckInterval;
    }

    @JsonProperty
    public Duration getShutdownDrainDelay() {
        return shutdownDrainDelay;
    }

    @JsonProperty
    public void setShutdownDrainDelay(Duration shutdownDrainDelay) {
        this.shutdownDrainDelay = shutdownDrainDelay;
    }

    /**
     * Builds the reporter that sets the gRPC health of {@code serviceNames} from {@code checks}.
     * Register it as a managed object.
     */
    public GrpcHealthReporter buildGrpcHealthReporter(HealthStatusManager health, HealthCheckRegistry checks,
            List<String> serviceNames) {
        return new GrpcHealthReporter(health, checks, serviceNames, healthCheckInterval.toMilliseconds());
    }

    /**
     * Builds what runs when shutdown begins: health NOT_SERVING, the drain delay, then each of
     * {@code stopAccepting} (servers that Jetty does not stop itself). Register it as a lifecycle
     * listener.
     */
    public ShutdownSequence buildShutdownSequence(GrpcHealthReporter health, List<Runnable> stopAccepting) {
        return new ShutdownSequence(health, shutdownDrainDelay.toMilliseconds(), stopAccepting);
    }
}
