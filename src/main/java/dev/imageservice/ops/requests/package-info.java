/**
 * What travels with one request on both transports: its id (taken from the caller or made here),
 * the MDC that puts it into every log line, and OpenTelemetry tracing (the servlet filter, the gRPC
 * interceptor and the traced processor). The one ops room the transports may import; it must not
 * import the transports, {@code ops.metrics}, {@code ops.health} or {@code ops.lifecycle}.
 */
package dev.imageservice.ops.requests;
