package dev.imageservice.http;

import dev.imageservice.processing.Limits;
import java.util.concurrent.TimeUnit;

/**
 * The body of {@code GET /api/v1/limits}: what the running service accepts and how much it takes
 * on at once, the same for every transport, plus what a gRPC streaming client needs to know.
 *
 * @param maxInputBytes      largest encoded image accepted
 * @param maxPixels          largest decoded image, width x height
 * @param maxMegapixels      the same in megapixels, as configured
 * @param maxConcurrent      images decoded/encoded at the same time
 * @param memoryBudgetBytes  bytes all requests may hold at once (inputs, work, outputs not yet written)
 * @param maxQueued          requests that may wait for admission before more are refused (503)
 * @param maxQueueWaitMillis longest wait for admission before a request is refused (503)
 * @param grpc               limits of the gRPC streaming call
 */
public record ActiveLimits(long maxInputBytes, long maxPixels, double maxMegapixels, int maxConcurrent,
        long memoryBudgetBytes, int maxQueued, long maxQueueWaitMillis, Grpc grpc) {

    /**
     * @param streamChunkBytes        size of the chunks of the answer of {@code ProcessImageStream}
     * @param streamIdleTimeoutMillis how long a streaming client may send or read nothing
     */
    public record Grpc(long streamChunkBytes, long streamIdleTimeoutMillis) {
    }

    public static ActiveLimits of(Limits limits, long grpcStreamChunkBytes, long grpcStreamIdleTimeoutMillis) {
        return new ActiveLimits(limits.maxInputBytes(), limits.maxPixels(), limits.maxPixels() / 1e6,
                limits.maxConcurrent(), limits.memoryBudgetBytes(), limits.maxQueued(),
                TimeUnit.NANOSECONDS.toMillis(limits.maxQueueWaitNanos()),
                new Grpc(grpcStreamChunkBytes, grpcStreamIdleTimeoutMillis));
    }
}
