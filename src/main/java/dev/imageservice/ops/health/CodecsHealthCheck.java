package dev.imageservice.ops.health;

import com.codahale.metrics.health.HealthCheck;
import dev.imageservice.processing.codec.Codecs;
import java.util.Objects;

/**
 * Says which codecs run. Always healthy: without {@code libturbojpeg.so.0} the service is slower,
 * not broken (the processor check proves the codecs work), but the operator sees why in
 * {@code /healthcheck} (the message begins "fast, degraded").
 */
public final class CodecsHealthCheck extends HealthCheck {
    private final Codecs codecs;

    public CodecsHealthCheck(Codecs codecs) {
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    @Override
    protected Result check() {
        return Result.healthy(codecs.describe());
    }
}
