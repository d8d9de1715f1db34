package dev.imageservice.ops.health;

import com.codahale.metrics.health.HealthCheck;
import dev.imageservice.grpc.GrpcServer;
import java.util.Objects;

/** Healthy while the gRPC server is started and not shutting down. */
public final class GrpcServerHealthCheck extends HealthCheck {
    private final GrpcServer server;

    public GrpcServerHealthCheck(GrpcServer server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    protected Result check() {
        if (!server.isServing()) {
            return Result.unhealthy("the gRPC server is not serving (not started, or shutting down)");
        }
        return Result.healthy("serving on port %d", server.getPort());
    }
}
