package dev.imageservice.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load loop, independent of the transport: {@code concurrency} simulated clients each send a
 * request through the {@link RequestSender}, and when its answer arrives, record it and send the
 * next, until the time is up. Nothing blocks per request: a client is a chain of callbacks, so a
 * handful of threads drive hundreds of requests in flight.
 */
public final class LoadRunner {
    private final RequestSender sender;
    private final List<BenchImage> images;
    private final LoadSettings settings;
    private final Executor callbacks;

    private final LoadStats stats;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong lastCompletion = new AtomicLong();
    private CountDownLatch clientsDone;
    private long start;
    private long stopSendingAt;

    /**
     * @param callbacks runs the completion of each request (recording it, starting the next); a
     *                  small pool, never the transport's I/O threads
     */
    public LoadRunner(RequestSender sender, List<BenchImage> images, LoadSettings settings, Executor callbacks) {
        this(sender, images, settings, callbacks, ExpectedAnswers.none());
    }

    /**
     * @param callbacks runs the completion of each request (recording it, starting the next); a
     *                  small pool, never the transport's I/O threads
     * @param expected  the verified answers that every answer must equal
     */
    public LoadRunner(RequestSender sender, List<BenchImage> images, LoadSettings settings, Executor callbacks,
                      ExpectedAnswers expected) {
        this.stats = new LoadStats(expected);
        this.sender = Objects.requireNonNull(sender, "sender");
        this.images = List.copyOf(images);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        if (this.images.isEmpty()) {
            throw new IllegalArgumentException("no images to send");
        }
    }

    /** What a run measured, before it is put into a report. */
    public record Result(LoadStats stats, double elapsedSeconds, long unfinished, double clientCpuMillis) {
    }

    /** Runs the load and returns once every request has finished (or timed out). */
    public Result run() throws InterruptedException {
        clientsDone = new CountDownLatch(settings.concurrency());
        ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-ramp");
            thread.setDaemon(true);
            return thread;
        });
        double cpuBefore = processCpuMillis();
        start = System.nanoTime();
        lastCompletion.set(start);
        stopSendingAt = start + settings.sendingTime().toNanos();
        try {
            for (int worker = 0; worker < settings.concurrency(); worker++) {
                int client = worker;
                starter.schedule(() -> next(client), settings.startOffset(worker).toNanos(), TimeUnit.NANOSECONDS);
            }
            // The last requests may start just before the end and may take up to the timeout.
            long waitNanos = settings.sendingTime().plus(settings.requestTimeout()).toNanos() + TimeUnit.SECONDS.toNanos(10);
            clientsDone.await(waitNanos, TimeUnit.NANOSECONDS);
        } finally {
            starter.shutdownNow();
        }
        double elapsed = (lastCompletion.get() - start) / 1e9;
        return new Result(stats, elapsed, clientsDone.getCount(), processCpuMillis() - cpuBefore);
    }

    private void next(int worker) {
        long now = System.nanoTime();
        if (now - stopSendingAt >= 0) {
            clientsDone.countDown();
            return;
        }
        BenchImage image = images.get((int) (sequence.getAndIncrement() % images.size()));
        CompletableFuture<Outcome> response;
        try {
            response = sender.send(image, worker);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        // Always continue on the callback pool: a sender that fails at once would otherwise recurse.
        response.whenCompleteAsync((outcome, error) -> {
            long end = System.nanoTime();
            lastCompletion.accumulateAndGet(end, Math::max);
            if (outcome != null) {
                stats.record(image, outcome, end - now);
            } else {
                stats.recordClientFailure(error, end - now);
            }
            next(worker);
        }, callbacks);
    }

    private static double processCpuMillis() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e6;
        }
        return Double.NaN;
    }
}
