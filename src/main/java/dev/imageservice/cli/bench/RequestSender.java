package dev.imageservice.cli.bench;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one image to the service without blocking the caller. Implementations exist per transport;
 * the load loop knows only this interface.
 */
public interface RequestSender extends AutoCloseable {

    /**
     * Starts one request. The future completes with the outcome, including failures of the
     * transport (it should not complete exceptionally, but the caller copes if it does).
     *
     * @param worker the index of the simulated client issuing the request (0-based), so that a
     *               sender can give each client its own connection
     */
    CompletableFuture<Outcome> send(BenchImage image, int worker);

    /**
     * Sends one image and keeps the whole body of its answer in the outcome, to verify it (once per
     * image, before a load). A sender that cannot keep bodies answers without one.
     */
    default CompletableFuture<Outcome> sendKeepingBody(BenchImage image) {
        return send(image, 0);
    }

    /** Releases connections and threads; requests still in flight may fail. */
    @Override
    void close();
}
