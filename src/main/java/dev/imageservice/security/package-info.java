/**
 * Security of both transports, all off by default and switched on from config.yml's
 * {@code security:} section: TLS from PEM files (one reloading key manager for Jetty and
 * Netty), API keys (a gRPC interceptor and a Jersey filter), security headers, CORS, JSON error
 * pages and the admin tasks switch (stalled request bodies are mapped with every other throwable
 * by {@code http.ApiExceptionMapper}). Knows nothing of images; the transports know nothing of it
 * beyond the hooks wired in the application.
 */
package dev.imageservice.security;
