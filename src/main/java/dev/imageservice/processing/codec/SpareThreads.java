package dev.imageservice.processing.codec;

/**
 * Threads an encoder may borrow for one image while the server has idle workers, and none while
 * every worker is busy: then the image is encoded on its own thread alone and costs nothing extra.
 * The caller of {@link #borrow} gives back exactly what it got, once its helpers' work is done.
 */
public interface SpareThreads {

    /** Never lends a thread: every image is encoded on the calling thread. */
    SpareThreads NONE = new SpareThreads() {
        @Override
        public int borrow(int wanted) {
            return 0;
        }

        @Override
        public void giveBack(int count) {
        }

        @Override
        public void execute(Runnable task) {
            throw new IllegalStateException("no threads to lend");
        }
    };

    /** Lends up to {@code wanted} threads now; returns how many (0 when no worker is idle). */
    int borrow(int wanted);

    /** Gives back threads lent by {@link #borrow}. */
    void giveBack(int count);

    /** Runs a helper task on a lent thread; the task must not block on other tasks. */
    void execute(Runnable task);
}
