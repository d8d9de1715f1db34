/**
 * The live status page's data: a sampler that reads the metrics once a second and the servlet that
 * serves its report as {@code /status.json} (the page itself is web/status.html). Reads
 * {@code ops.metrics}; must not import the transports.
 */
package dev.imageservice.ops.status;
