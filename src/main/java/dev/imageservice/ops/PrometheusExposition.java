package dev.imageservice.ops;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.servlet.jakarta.exporter.MetricsServlet;
import jakarta.servlet.http.HttpServlet;

/**
 * Serves a Dropwizard MetricRegistry in Prometheus' text format, through the Prometheus Java
 * client's Dropwizard bridge. Each registry gets a CollectorRegistry of its own (not the client's
 * global default), so that two applications in one JVM, as in tests, never see each other's metrics.
 */
public final class PrometheusExposition {

    private PrometheusExposition() {
    }

    /** A servlet that answers every GET with all metrics of {@code metrics}, collected at that moment. */
    public static HttpServlet servlet(MetricRegistry metrics) {
        CollectorRegistry registry = new CollectorRegistry();
        new DropwizardExports(metrics, new PrometheusSampleBuilder(MetricNames.prometheusFamilies())).register(registry);
        return new MetricsServlet(registry);
    }
}
