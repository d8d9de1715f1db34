package dev.imageservice.ops.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.servlet.jakarta.exporter.MetricsServlet;
import jakarta.servlet.http.HttpServlet;

/**
 * Serves the service's metrics in Prometheus' text format: its own {@link PrometheusMetrics} and,
 * through the Prometheus Java client's Dropwizard bridge, the gauges of Dropwizard's registry. Each
 * application has a CollectorRegistry of its own (not the client's global default), so that two
 * applications in one JVM, as in tests, never see each other's metrics.
 */
public final class PrometheusExposition {

    private PrometheusExposition() {
    }

    /**
     * A servlet that answers every GET with the metrics of {@code prometheus} and the gauges of
     * {@code metrics} (JVM, admission, budget), collected at that moment. Dropwizard's timers, meters
     * and histograms are left out (the API keys' meters excepted, as counters by key name): the
     * service's own are in {@code prometheus} as real histograms and counters, and the rest (Jetty's,
     * Jersey's) stay on the admin {@code /metrics}.
     */
    public static HttpServlet servlet(MetricRegistry metrics, PrometheusMetrics prometheus) {
        CollectorRegistry registry = prometheus.registry();
        new DropwizardExports(metrics, (name, metric) -> metric instanceof Gauge
                        || name.startsWith(MetricNames.API_KEY_ACCEPTED_PREFIX) || name.equals(MetricNames.API_KEY_REFUSED),
                new PrometheusSampleBuilder(MetricNames.prometheusFamilies())).register(registry);
        return new MetricsServlet(registry);
    }
}
