/**
 * The operations side, one room per concern: {@code metrics} (names, the metered processor,
 * interceptor and filter, Prometheus), {@code health} (checks, the gRPC health bridge, readiness),
 * {@code lifecycle} (startup, drain, exit), {@code requests} (request ids and traces),
 * {@code status} (the live status page) and {@code logging} (log formats). Observes the processor
 * and the transports from outside; nothing in {@code processing} imports it, and the transports use
 * only {@code requests} (see ArchitectureTest).
 */
package dev.imageservice.ops;
