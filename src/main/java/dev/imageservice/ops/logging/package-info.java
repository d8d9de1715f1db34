/**
 * Log formats selected in config.yml: the text and JSON console appenders ({@code console-text},
 * {@code console-json}, found through META-INF/services) and the access log whose own start-up
 * messages go to the application log. Formatting only: must not import the processor or the
 * transports.
 */
package dev.imageservice.ops.logging;
