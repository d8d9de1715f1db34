/**
 * Metrics: every metric name in one place ({@link dev.imageservice.ops.metrics.MetricNames}), the
 * metered processor, the gRPC interceptor and HTTP filter that time and count each request by
 * outcome, the admission and load gauges, and the mapping of Dropwizard metrics to Prometheus
 * families. May import the processor's types and the transports' frameworks; must not import
 * {@code ops.health}, {@code ops.status}, {@code ops.lifecycle} or the transports' own packages.
 */
package dev.imageservice.ops.metrics;
