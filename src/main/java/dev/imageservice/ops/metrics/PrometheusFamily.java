package dev.imageservice.ops.metrics;

import java.util.List;

/**
 * One Prometheus metric family made of Dropwizard metrics whose names share a prefix. With one
 * label, the label is everything after the prefix; with two, the second is the last dot-separated
 * segment (a status code or class never holds a dot) and the first is what lies between.
 */
record PrometheusFamily(String dropwizardName, boolean isPrefix, String prometheusName, List<String> labelNames) {

    PrometheusFamily {
        if (labelNames.size() > 2 || isPrefix == labelNames.isEmpty()) {
            throw new IllegalArgumentException("a prefix takes one or two labels, an exact name none: " + dropwizardName);
        }
        labelNames = List.copyOf(labelNames);
    }

    static PrometheusFamily exact(String dropwizardName, String prometheusName) {
        return new PrometheusFamily(dropwizardName, false, prometheusName, List.of());
    }

    static PrometheusFamily labelled(String prefix, String prometheusName, String... labelNames) {
        return new PrometheusFamily(prefix, true, prometheusName, List.of(labelNames));
    }

    /** The label values for {@code name}, or null if the name is not of this family. */
    List<String> labelValues(String name) {
        if (!isPrefix) {
            return name.equals(dropwizardName) ? List.of() : null;
        }
        if (!name.startsWith(dropwizardName) || name.length() == dropwizardName.length()) {
            return null;
        }
        String rest = name.substring(dropwizardName.length());
        if (labelNames.size() == 1) {
            return List.of(rest);
        }
        int lastDot = rest.lastIndexOf('.');
        if (lastDot <= 0 || lastDot == rest.length() - 1) {
            return null;
        }
        return List.of(rest.substring(0, lastDot), rest.substring(lastDot + 1));
    }
}
