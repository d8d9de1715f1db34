/**
 * Health: checks that exercise the real dependencies (a probe image through the processor, the
 * codecs, the gRPC server), their cached answers, the bridge that drives gRPC health from them,
 * and the admin {@code /ready} servlet. Must not import {@code ops.lifecycle} (which drives it) or
 * {@code ops.metrics}.
 */
package dev.imageservice.ops.health;
