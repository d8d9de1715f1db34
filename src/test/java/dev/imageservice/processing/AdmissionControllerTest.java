package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.processing.ImageProcessingException.Kind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static AdmissionController controller(int concurrent, long pixelBudget, int queued, long maxWaitMillis) {
        return new AdmissionController(new Limits(1 << 20, pixelBudget, concurrent, pixelBudget, queued,
                TimeUnit.MILLISECONDS.toNanos(maxWaitMillis)));
    }

    /** Waits until {@code count} requests are queued (the queue is the only observable of a waiter). */
    private static void awaitQueued(AdmissionController admission, int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (admission.queued() != count) {
            assertThat(System.nanoTime()).as("waiting for %d queued", count).isLessThan(until);
            Thread.sleep(2);
        }
    }

    @Test
    void admitsUpToTheConcurrencyLimitAndQueuesTheRestInArrivalOrder() throws Exception {
        AdmissionController admission = controller(2, 1000, 10, 30_000);
        AdmissionController.Permit first = admission.admit(1, RequestContext.NONE);
        AdmissionController.Permit second = admission.admit(1, RequestContext.NONE);
        List<Integer> order = new CopyOnWriteArrayList<>();
        Future<?>[] waiting = new Future<?>[3];
        for (int i = 0; i < 3; i++) {
            int id = i;
            waiting[i] = threads.submit(() -> {
                try (AdmissionController.Permit permit = admission.admit(1, RequestContext.NONE)) {
                    order.add(id);
                }
                return null;
            });
            awaitQueued(admission, i + 1);
        }
        assertThat(admission.inFlight()).isEqualTo(2);

        // One slot frees up: each waiter in turn takes it, records itself and hands it on.
        first.close();
        for (Future<?> future : waiting) {
            future.get(10, TimeUnit.SECONDS);
        }
        second.close();

        assertThat(order).containsExactly(0, 1, 2);
        assertThat(admission.inFlight()).isZero();
        assertThat(admission.queued()).isZero();
        assertThat(admission.pixelsInFlight()).isZero();
    }

    @Test
    void pixelBudgetHoldsBackALargeImageButAnImageAloneIsAlwaysAdmitted() throws Exception {
        AdmissionController admission = controller(4, 100, 10, 30_000);
        AdmissionController.Permit small = admission.admit(60, RequestContext.NONE);
        Future<?> large = threads.submit(() -> {
            admission.admit(100, RequestContext.NONE).close();
            return null;
        });
        awaitQueued(admission, 1);
        assertThat(admission.pixelsInFlight()).isEqualTo(60);

        small.close();

        large.get(10, TimeUnit.SECONDS);
        assertThat(admission.pixelsInFlight()).isZero();
    }

    @Test
    void aFullQueueIsRefusedAsOverloadedAtOnce() throws Exception {
        AdmissionController admission = controller(1, 1000, 1, 30_000);
        AdmissionController.Permit busy = admission.admit(1, RequestContext.NONE);
        Future<?> waiter = threads.submit(() -> {
            admission.admit(1, RequestContext.NONE).close();
            return null;
        });
        awaitQueued(admission, 1);

        assertThatThrownBy(() -> admission.admit(1, RequestContext.NONE))
                .isInstanceOfSatisfying(ImageProcessingException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OVERLOADED))
                .hasMessageContaining("overloaded");

        busy.close();
        waiter.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWaitLongerThanTheMaximumIsRefusedAsOverloaded() {
        AdmissionController admission = controller(1, 1000, 10, 50);
        AdmissionController.Permit busy = admission.admit(1, RequestContext.NONE);

        assertThatThrownBy(() -> admission.admit(1, RequestContext.NONE))
                .isInstanceOfSatisfying(ImageProcessingException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OVERLOADED))
                .hasMessageContaining("waited 50 ms");
        assertThat(admission.queued()).isZero();
        busy.close();
    }

    @Test
    void theCallersDeadlineEndsTheWait() {
        AdmissionController admission = controller(1, 1000, 10, 30_000);
        AdmissionController.Permit busy = admission.admit(1, RequestContext.NONE);

        assertThatThrownBy(() -> admission.admit(1, RequestContext.withDeadline(TimeUnit.MILLISECONDS.toNanos(50), () -> false)))
                .isInstanceOfSatisfying(ImageProcessingException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.DEADLINE_EXCEEDED));
        assertThat(admission.queued()).isZero();
        busy.close();
    }

    @Test
    void aCancelledWaiterLeavesTheQueueAndTheNextOneMovesUp() throws Exception {
        AdmissionController admission = controller(1, 1000, 10, 30_000);
        AdmissionController.Permit busy = admission.admit(1, RequestContext.NONE);
        AtomicBoolean cancelled = new AtomicBoolean();
        Future<?> cancelling = threads.submit(() -> admission.admit(1, RequestContext.withoutDeadline(cancelled::get)));
        awaitQueued(admission, 1);
        Future<?> next = threads.submit(() -> {
            admission.admit(1, RequestContext.NONE).close();
            return null;
        });
        awaitQueued(admission, 2);

        cancelled.set(true);
        awaitQueued(admission, 1);
        busy.close();

        next.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> cancelling.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ImageProcessingException.class)
                .hasMessageContaining("cancelled");
        assertThat(admission.inFlight()).isZero();
    }
}
