/**
 * The operations side: metrics (names, interceptor, filter, Prometheus exposition), health checks
 * and the gRPC health bridge, and the startup and shutdown sequence. Observes the processor and
 * the transports from outside; nothing in {@code processing} imports it.
 */
package dev.imageservice.ops;
