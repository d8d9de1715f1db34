/**
 * The built-in load generator behind the {@code bench} command: images, targets, request senders
 * for gRPC and HTTP, the load loop, statistics and the report. Client-side only, under the same
 * import rules as {@code cli}.
 */
package dev.imageservice.cli.bench;
