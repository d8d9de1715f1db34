package dev.imageservice.ops.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.Limits;

/**
 * The gauges an autoscaler reads (HPA through prometheus-adapter, KEDA): admission's state relative
 * to its limits, so the same value means the same pressure whatever the pod's size. Unlike CPU it
 * sees the queue: a pod at 100% CPU with nothing waiting is busy, one with requests waiting needs help.
 */
public final class LoadSignalGauges {

    private LoadSignalGauges() {
    }

    public static void register(MetricRegistry metrics, AdmissionController admission, Limits limits) {
        register(metrics, admission, limits, () -> 0);
    }

    /** @param unread requests waiting, unread, to be let in (gRPC calls at the ReadAheadGate): they wait too */
    public static void register(MetricRegistry metrics, AdmissionController admission, Limits limits,
            java.util.function.IntSupplier unread) {
        metrics.register(MetricNames.ADMISSION_LOAD, (Gauge<Double>) () -> load(admission.inFlight(),
                admission.queued() + unread.getAsInt(), limits.maxConcurrent()));
        metrics.register(MetricNames.ADMISSION_PIXELS_UTILISATION,
                (Gauge<Double>) () -> (double) admission.bytesInUse() / admission.budgetBytes());
    }

    /** (in work + waiting) per slot. */
    static double load(int inFlight, int queued, int maxConcurrent) {
        return (double) (inFlight + queued) / maxConcurrent;
    }
}
