package dev.imageservice.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.RequestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The autoscaling signal follows real admission: slots in use, requests waiting, pixels held. */
class LoadSignalGaugesTest {
    private final Limits limits = new Limits(1 << 20, 1000, 2, 1000, 10, TimeUnit.SECONDS.toNanos(30));
    private final AdmissionController admission = new AdmissionController(limits);
    private final MetricRegistry metrics = new MetricRegistry();

    @Test
    void loadIsDemandPerSlotAndCountsTheQueue() throws Exception {
        LoadSignalGauges.register(metrics, admission, limits);
        assertThat(gauge(MetricNames.ADMISSION_LOAD)).isEqualTo(0.0);

        AdmissionController.Permit first = admission.admit(100, 0, RequestContext.NONE).join();
        assertThat(gauge(MetricNames.ADMISSION_LOAD)).isEqualTo(0.5);
        AdmissionController.Permit second = admission.admit(150, 0, RequestContext.NONE).join();
        assertThat(gauge(MetricNames.ADMISSION_LOAD)).isEqualTo(1.0);
        assertThat(gauge(MetricNames.ADMISSION_PIXELS_UTILISATION)).as("250 of the 1000 bytes budget").isEqualTo(0.25);

        java.util.concurrent.CompletableFuture<AdmissionController.Permit> waiter = admission.admit(100, 0, RequestContext.NONE);
        assertThat(gauge(MetricNames.ADMISSION_LOAD)).as("two in work and one waiting on two slots").isEqualTo(1.5);

        first.close();
        waiter.get(30, TimeUnit.SECONDS).close();
        second.close();
        assertThat(gauge(MetricNames.ADMISSION_LOAD)).isEqualTo(0.0);
        assertThat(gauge(MetricNames.ADMISSION_PIXELS_UTILISATION)).isEqualTo(0.0);
    }

    @Test
    void theSignalIsExportedUnderItsPrometheusName() {
        assertThat(MetricNames.prometheusFamilies()).anySatisfy(f -> assertThat(f.prometheusName()).isEqualTo("image_admission_load"));
    }

    private double gauge(String name) {
        return ((Number) ((Gauge<?>) metrics.getGauges().get(name)).getValue()).doubleValue();
    }
}
