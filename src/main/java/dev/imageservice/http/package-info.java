/**
 * The HTTP transport: JAX-RS resources for {@code /api/v1/process} and {@code /api/v1/limits},
 * upload size limits, download names, and the one mapper of every throwable to a JSON error body
 * ({@code ApiExceptionMapper}). Converts, delegates to the processor and maps errors; holds no image
 * logic and never imports the gRPC transport ({@code grpc}) or io.grpc.
 */
package dev.imageservice.http;
