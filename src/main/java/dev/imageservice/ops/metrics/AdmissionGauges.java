package dev.imageservice.ops.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.Limits;

/** Publishes admission control's state: how much is in work, how much waits, the memory budget and its use. */
public final class AdmissionGauges {

    private AdmissionGauges() {
    }

    public static void register(MetricRegistry metrics, AdmissionController admission) {
        register(metrics, admission, () -> 0);
    }

    /** @param unread requests waiting, unread, to be let in (gRPC calls at the ReadAheadGate): queued too */
    public static void register(MetricRegistry metrics, AdmissionController admission, java.util.function.IntSupplier unread) {
        metrics.register(MetricNames.ADMISSION_IN_FLIGHT, (Gauge<Integer>) admission::inFlight);
        metrics.register(MetricNames.ADMISSION_QUEUED, (Gauge<Integer>) () -> admission.queued() + unread.getAsInt());
        metrics.register(MetricNames.MEMORY_BUDGET, (Gauge<Long>) admission::budgetBytes);
        metrics.register(MetricNames.MEMORY_IN_USE, (Gauge<Long>) admission::bytesInUse);
        metrics.register(MetricNames.MEMORY_WAITING, (Gauge<Long>) admission::bytesWaiting);
    }

    /** The limits in force, beside the gauges above, so that dashboards and alerts show saturation. */
    public static void registerLimits(MetricRegistry metrics, Limits limits) {
        metrics.register(MetricNames.ADMISSION_MAX_IN_FLIGHT, (Gauge<Integer>) limits::maxConcurrent);
        metrics.register(MetricNames.ADMISSION_MAX_QUEUED, (Gauge<Integer>) limits::maxQueued);
    }
}
