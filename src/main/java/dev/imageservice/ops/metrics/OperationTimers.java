package dev.imageservice.ops.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.imageservice.processing.OperationTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A timer per operation ({@code image.processing.operation.<name>}), fed from the times the
 * processor reports. Names come from the operations' code, never from requests, so the set of
 * timers is small and fixed.
 */
final class OperationTimers {
    private final MetricRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    OperationTimers(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    void record(List<OperationTime> operations) {
        for (OperationTime operation : operations) {
            timers.computeIfAbsent(operation.operation(), name -> metrics.timer(MetricNames.operation(name)))
                    .update(operation.nanos(), TimeUnit.NANOSECONDS);
        }
    }
}
