package dev.imageservice.http;

import dev.imageservice.processing.AdmissionController;
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
 * @param inputShareBytes    the part of the budget that inputs (waiting or in work) may hold; an
 *                           input that finds it full is refused at once (503)
 * @param maxQueued          requests that may wait for admission before more are refused (503)
 * @param maxQueuedPerClient requests one client (API key name, else address) may have waiting
 * @param maxQueueWaitMillis longest wait for admission before a request is refused (503)
 * @param grpc               limits of the gRPC streaming call
 */
public record ActiveLimits(long maxInputBytes, long maxPixels, double maxMegapixels, int maxConcurrent,
        long memoryBudgetBytes, long inputShareBytes, int maxQueued, int maxQueuedPerClient,
        long maxQueueWaitMillis, Grpc grpc) {

    /**
     * @param streamChunkBytes        size of the chunks of the answer of {@code ProcessImageStream}
     * @param streamIdleTimeoutMillis how long a streaming client may send or read nothing
     */
    public record Grpc(long streamChunkBytes, long streamIdleTimeoutMillis) {
    }

    public static ActiveLimits of(Limits limits, AdmissionController admission, long grpcStreamChunkBytes,
            long grpcStreamIdleTimeoutMillis) {
        return new ActiveLimits(limits.maxInputBytes(), limits.maxPixels(), limits.maxPixels() / 1e6,
                limits.maxConcurrent(), admission.budgetBytes(), admission.inputShareBytes(), limits.maxQueued(),
                limits.maxQueuedPerClient(), TimeUnit.NANOSECONDS.toMillis(limits.maxQueueWaitNanos()),
                new Grpc(grpcStreamChunkBytes, grpcStreamIdleTimeoutMillis));
    }
}
