package dev.imageservice.cli.bench;

import java.time.Duration;

/**
 * The shape of a load run: {@code concurrency} simulated clients, started evenly over {@code ramp},
 * then all kept busy for {@code duration} (like k6's stages: a ramp, then a hold). Each client
 * sends a request, waits for its answer, and sends the next one, so {@code concurrency} is the
 * number of requests in flight. Requests in flight when the time is up are awaited and counted.
 */
public record LoadSettings(int concurrency, Duration ramp, Duration duration, Duration requestTimeout) {

    public LoadSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        if (ramp.isNegative()) {
            throw new IllegalArgumentException("ramp must not be negative");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive");
        }
    }

    /** When client {@code worker} (0-based) starts, counted from the start of the run. */
    public Duration startOffset(int worker) {
        return ramp.multipliedBy(worker).dividedBy(concurrency);
    }

    /** Ramp plus hold: after this, no new request is started. */
    public Duration sendingTime() {
        return ramp.plus(duration);
    }
}
