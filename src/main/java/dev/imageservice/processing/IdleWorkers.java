package dev.imageservice.processing;

import dev.imageservice.processing.codec.SpareThreads;
import java.util.concurrent.Executor;

/**
 * Lends the pipeline's idle worker threads to an image in work (e.g. to deflate a large PNG in
 * parallel): a worker is idle when admission has fewer images in work than workers, less those
 * already lent. Under load (every worker has an admitted image) it lends none, so encoding costs
 * exactly what it costs alone. A request admitted while a helper runs waits at most for one part
 * of a few milliseconds.
 */
final class IdleWorkers implements SpareThreads {
    private final AdmissionController admission;
    private final int workers;
    private final Executor executor;
    private int lent;

    IdleWorkers(AdmissionController admission, int workers, Executor executor) {
        this.admission = admission;
        this.workers = workers;
        this.executor = executor;
    }

    @Override
    public int borrow(int wanted) {
        int inFlight = admission.inFlight();
        synchronized (this) {
            int granted = Math.max(0, Math.min(wanted, workers - inFlight - lent));
            lent += granted;
            return granted;
        }
    }

    @Override
    public synchronized void giveBack(int count) {
        lent -= count;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }
}
