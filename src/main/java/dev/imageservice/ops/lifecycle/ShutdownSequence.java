package dev.imageservice.ops.lifecycle;

import dev.imageservice.ops.health.GrpcHealthReporter;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens, in this order, the moment the service is told to stop (Jetty's server begins to
 * stop: the earliest moment Dropwizard tells us, before Jetty drains its HTTP requests):
 * <ol>
 *   <li>gRPC health turns NOT_SERVING for good;</li>
 *   <li>for the drain delay every transport goes on answering, so that load balancers and clients
 *       that watch the health status move their traffic elsewhere first;</li>
 *   <li>the gRPC server stops accepting calls, at the same time as Jetty stops accepting HTTP
 *       requests (which Jetty does right after this listener returns).</li>
 * </ol>
 * Requests in flight on both transports then finish within their grace periods
 * ({@code server.shutdownGracePeriod}, {@code grpc.shutdownGracePeriod}), which run side by side.
 */
public final class ShutdownSequence implements LifeCycle.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private final GrpcHealthReporter health;
    private final long drainDelayMillis;
    private final List<Runnable> stopAccepting;
    private boolean begun;

    public ShutdownSequence(GrpcHealthReporter health, long drainDelayMillis, List<Runnable> stopAccepting) {
        this.health = Objects.requireNonNull(health, "health");
        this.drainDelayMillis = drainDelayMillis;
        this.stopAccepting = List.copyOf(stopAccepting);
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        synchronized (this) {
            if (begun) {
                return;
            }
            begun = true;
        }
        health.shutdownBegins();
        if (drainDelayMillis > 0) {
            LOG.info("gRPC health is NOT_SERVING; still serving for the drain delay of {} ms", drainDelayMillis);
            try {
                Thread.sleep(drainDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopAccepting.forEach(Runnable::run);
    }
}
