package dev.imageservice.processing;

/**
 * Told when each stage of one request ends, with its start and end on the {@link System#nanoTime()}
 * clock, so that metrics and traces can be made outside the processor. Called on the thread that
 * ran the stage; it must be cheap and must not throw.
 */
@FunctionalInterface
public interface StageListener {
    /** Listens to nothing. */
    StageListener NONE = (stage, name, startNanos, endNanos) -> { };

    /** The stages of a request, in order; {@link #OPERATION} repeats once for each operation. */
    enum Stage {
        /** Waiting for admission (the queue). */
        QUEUE,
        DECODE,
        /** One operation on the pixels; its name is given with it. */
        OPERATION,
        ENCODE
    }

    /** {@code stage} ({@code name} says which operation, else the stage's own name) ran from start to end. */
    void stageEnded(Stage stage, String name, long startNanos, long endNanos);
}
