package dev.imageservice.ops;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Names Prometheus samples after {@link MetricNames#prometheusFamilies()}, so that a gRPC method, a
 * status code or a stage becomes a label instead of a part of a metric name; every other metric gets
 * the client's default name. (The client's own CustomMappingSampleBuilder cannot do this: its
 * patterns match dot-free segments only, and gRPC method names contain dots.)
 */
final class PrometheusSampleBuilder implements SampleBuilder {
    private final List<PrometheusFamily> families;
    private final SampleBuilder fallback = new DefaultSampleBuilder();

    PrometheusSampleBuilder(List<PrometheusFamily> families) {
        this.families = List.copyOf(families);
    }

    @Override
    public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
            List<String> additionalLabelNames, List<String> additionalLabelValues, double value) {
        for (PrometheusFamily family : families) {
            List<String> values = family.labelValues(dropwizardName);
            if (values != null) {
                List<String> labelNames = new ArrayList<>(family.labelNames());
                labelNames.addAll(additionalLabelNames);
                List<String> labelValues = new ArrayList<>(values);
                labelValues.addAll(additionalLabelValues);
                String suffix = nameSuffix == null ? "" : nameSuffix;
                return new Collector.MetricFamilySamples.Sample(
                        family.prometheusName() + suffix, labelNames, labelValues, value);
            }
        }
        return fallback.createSample(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, value);
    }
}
