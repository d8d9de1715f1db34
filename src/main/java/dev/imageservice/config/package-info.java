/**
 * config.yml's own sections ({@code limits:}, {@code processing:}, {@code ops:}): one Jackson bean
 * per section, named {@code XxxFactory}, that validates itself (jakarta.validation, Dropwizard's
 * {@code DataSize}/{@code Duration} bounds) and builds its runtime object. Getters, setters and
 * {@code build} methods only, no logic; read only by the application. The transports' sections
 * ({@code grpc:}, {@code security:}) sit beside what they build, as Dropwizard's own modules do.
 */
package dev.imageservice.config;
