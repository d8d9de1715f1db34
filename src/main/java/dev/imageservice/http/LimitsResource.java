package dev.imageservice.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Objects;

/**
 * {@code GET /api/v1/limits}: the limits in force, so that a client can check an image before
 * sending it and size its retries and timeouts, instead of learning them from refusals.
 */
@Path("/v1/limits")
@Produces(MediaType.APPLICATION_JSON)
public final class LimitsResource {
    private final ActiveLimits limits;

    public LimitsResource(ActiveLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @GET
    public ActiveLimits limits() {
        return limits;
    }
}
