package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The accounting of {@link ReadAheadGate}: what waits, what is counted, what is given back. */
class ReadAheadGateTest {
    private static final long MIB = 1 << 20;
    /** A 100 MiB budget: 65 MiB for inputs; 3 queued at most, 2 per client. */
    private static final Limits LIMITS = new Limits(16 * MIB, 10_000_000, 2, 100 * MIB, 3,
            TimeUnit.SECONDS.toNanos(30), 2);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AdmissionController budget = new AdmissionController(LIMITS);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static RequestContext client(String name) {
        return RequestContext.withDeadline(TimeUnit.SECONDS.toNanos(30), () -> false).withClient(name);
    }

    @Test
    void aReservationCountsItsEstimateThenTheRealSizeAndGivesAllBack() throws Exception {
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 10 * MIB, timer);

        ReadAheadGate.Reservation first = gate.reserve(client("a")).get(1, TimeUnit.SECONDS);
        assertThat(budget.bytesInUse()).isEqualTo(ReadAheadGate.FIRST_ESTIMATE_BYTES);
        first.arrived(3 * MIB);
        assertThat(budget.bytesInUse()).isEqualTo(3 * MIB);
        assertThat(gate.readingAhead()).isEqualTo(3 * MIB);
        first.admitted();
        assertThat(gate.readingAhead()).isZero();
        assertThat(budget.bytesInUse()).as("an admitted input stays counted").isEqualTo(3 * MIB);
        first.close();
        first.close();

        assertThat(budget.bytesInUse()).isZero();
        assertThat(gate.readingAhead()).isZero();
    }

    @Test
    void beyondTheReadAheadCallsWaitUnreadAndAreLetInInTurnsAmongClients() throws Exception {
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 1, timer); // one read ahead at a time
        ReadAheadGate.Reservation reading = gate.reserve(client("a")).get(1, TimeUnit.SECONDS);
        CompletableFuture<ReadAheadGate.Reservation> a2 = gate.reserve(client("a"));
        CompletableFuture<ReadAheadGate.Reservation> a3 = gate.reserve(client("a"));
        // b has nothing read ahead: one of its calls is read although a's fill the read-ahead.
        ReadAheadGate.Reservation b1 = gate.reserve(client("b")).get(1, TimeUnit.SECONDS);
        CompletableFuture<ReadAheadGate.Reservation> b2 = gate.reserve(client("b"));

        assertThat(gate.waiting()).isEqualTo(3);
        assertThat(gate.readingAhead()).isEqualTo(reading.bytes() + b1.bytes());
        assertThat(budget.bytesInUse()).as("waiting calls hold nothing").isEqualTo(reading.bytes() + b1.bytes());
        reading.admitted();
        ReadAheadGate.Reservation second = a2.get(1, TimeUnit.SECONDS);
        assertThat(b2).as("b still has one read ahead").isNotDone();
        assertThat(a3).isNotDone();
        b1.close();
        ReadAheadGate.Reservation third = b2.get(1, TimeUnit.SECONDS);
        assertThat(a3).as("a has one read ahead again").isNotDone();
        second.close();
        third.close();
        a3.get(1, TimeUnit.SECONDS).close();
        reading.close();

        assertThat(budget.bytesInUse()).isZero();
        assertThat(gate.readingAhead()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void aClientsBacklogDoesNotKeepAnotherClientsCallsUnread() throws Exception {
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 2 * MIB, timer);
        ReadAheadGate.Reservation a1 = gate.reserve(client("a")).get(1, TimeUnit.SECONDS);
        a1.arrived(2 * MIB); // a's input fills the read-ahead and is never admitted (its work share is full)
        CompletableFuture<ReadAheadGate.Reservation> a2 = gate.reserve(client("a"));
        ReadAheadGate.Reservation b1 = gate.reserve(client("b")).get(1, TimeUnit.SECONDS);
        CompletableFuture<ReadAheadGate.Reservation> b2 = gate.reserve(client("b"));

        assertThat(a2).isNotDone();
        assertThat(b2).as("one at a time per client beyond the read-ahead").isNotDone();
        b1.arrived(MIB);
        b1.admitted(); // b's call goes to work; its next may be read
        ReadAheadGate.Reservation b2Reading = b2.get(1, TimeUnit.SECONDS);
        assertThat(a2).isNotDone();

        b2Reading.close();
        b1.close();
        a1.close();
        a2.get(1, TimeUnit.SECONDS).close();
        assertThat(budget.bytesInUse()).isZero();
        assertThat(gate.readingAhead()).isZero();
    }

    @Test
    void aFullInputShareMakesCallsWaitNotRefusedAndTheyGoInWhenItEmpties() throws Exception {
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 10 * MIB, timer);
        AdmissionController.Lease otherTransport = budget.tryHold(budget.inputShareBytes());

        CompletableFuture<ReadAheadGate.Reservation> waiting = gate.reserve(client("a"));
        Thread.sleep(3 * ReadAheadGate.POLL_MILLIS);
        assertThat(waiting).isNotDone();
        otherTransport.close(); // freed outside the gate: seen by its poll
        waiting.get(1, TimeUnit.SECONDS).close();

        assertThat(budget.bytesInUse()).isZero();
    }

    @Test
    void aFullQueueRefusesAndCancelledOrTimedOutWaitersLeaveIt() throws Exception {
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 10 * MIB, timer);
        AdmissionController.Lease hog = budget.tryHold(budget.inputShareBytes());
        CompletableFuture<ReadAheadGate.Reservation> a = gate.reserve(client("a"));
        CompletableFuture<ReadAheadGate.Reservation> b = gate.reserve(client("b"));
        CompletableFuture<ReadAheadGate.Reservation> c = gate.reserve(
                RequestContext.withDeadline(TimeUnit.MILLISECONDS.toNanos(50), () -> false).withClient("c"));

        assertThat(kind(gate.reserve(client("d")))).isEqualTo(ImageProcessingException.Kind.OVERLOADED);
        assertThat(kind(c)).isEqualTo(ImageProcessingException.Kind.DEADLINE_EXCEEDED);
        a.cancel(false);
        assertThat(gate.waiting()).isEqualTo(1);
        budget.shutdown(0);
        hog.close();
        assertThat(kind(b)).isEqualTo(ImageProcessingException.Kind.SHUTTING_DOWN);

        assertThat(gate.waiting()).isZero();
        assertThat(budget.bytesInUse()).isZero();
        assertThat(gate.readingAhead()).isZero();
    }

    @Test
    void aReservationSaysHowLongItsCallWaitedForIt() throws Exception {
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 10 * MIB, timer);
        AdmissionController.Lease hog = budget.tryHold(budget.inputShareBytes());
        CompletableFuture<ReadAheadGate.Reservation> waiting = gate.reserve(client("a"));
        Thread.sleep(120);
        assertThat(waiting).isNotDone();

        hog.close();
        ReadAheadGate.Reservation reservation = waiting.get(10, TimeUnit.SECONDS);
        assertThat(reservation.waitedNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
        reservation.close();
        assertThat(gate.reserve(client("b")).get(10, TimeUnit.SECONDS).waitedNanos())
                .as("no wait when there is room").isLessThan(TimeUnit.MILLISECONDS.toNanos(120));
    }

    @Test
    void atShutdownCallsWaitingBehindAFullReadAheadAreRefusedAtOnce() throws Exception {
        ReadAheadGate gate = new ReadAheadGate(budget, LIMITS, 1, timer);
        ReadAheadGate.Reservation reading = gate.reserve(client("a")).get(1, TimeUnit.SECONDS);
        CompletableFuture<ReadAheadGate.Reservation> waiting = gate.reserve(client("a")); // a has one read ahead

        budget.shutdown(0);

        assertThat(kind(waiting)).isEqualTo(ImageProcessingException.Kind.SHUTTING_DOWN);
        reading.close();
        assertThat(budget.bytesInUse()).isZero();
    }

    private static ImageProcessingException.Kind kind(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return ((ImageProcessingException) e.getCause()).kind();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still waiting", e);
        }
        throw new AssertionError("not refused");
    }
}
