/**
 * The gRPC transport: the {@code image.ImageService} implementation (unary and streaming), its
 * server lifecycle and config, and the mapping of processing failures to gRPC statuses. Converts,
 * delegates to the processor and maps errors; holds no image logic and never imports the HTTP
 * transport ({@code http}), Jersey or Jetty.
 */
package dev.imageservice.grpc;
