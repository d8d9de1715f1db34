package dev.imageservice.ops.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Names Prometheus samples after {@link MetricNames#prometheusFamilies()}, so that a gRPC method, a
 * status code or a stage becomes a label instead of a part of a metric name; every other metric gets
 * the client's default name, lower-cased. (The client's own CustomMappingSampleBuilder cannot do this: its
 * patterns match dot-free segments only, and gRPC method names contain dots.)
 */
final class PrometheusSampleBuilder implements SampleBuilder {
    private static final String COUNT = "_count";

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
        Collector.MetricFamilySamples.Sample sample = fallback.createSample(dropwizardName, nameSuffix,
                additionalLabelNames, additionalLabelValues, value);
        return new Collector.MetricFamilySamples.Sample(lintedName(sample.name),
                sample.labelNames, sample.labelValues, sample.value);
    }

    /**
     * A gauge's name as promtool's lint wants it: snake_case ("jvm_memory_pools_CodeHeap_..." is not),
     * and no "_count" suffix, which belongs to histograms and summaries (Dropwizard's
     * "jvm.threads.count" becomes jvm_threads, "jvm.gc.G1-Young-Generation.count"
     * jvm_gc_g1_young_generation_collections).
     */
    static String lintedName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(COUNT)) {
            return lower;
        }
        String stem = lower.substring(0, lower.length() - COUNT.length());
        return lower.startsWith("jvm_gc_") ? stem + "_collections" : stem;
    }
}
