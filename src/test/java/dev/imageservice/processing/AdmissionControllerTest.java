package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.processing.ImageProcessingException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The memory budget and its queue: what is counted, who waits, and that everything is given back. */
class AdmissionControllerTest {

    private static AdmissionController controller(int concurrent, long budgetBytes, int queued, long maxWaitMillis) {
        return new AdmissionController(new Limits(1 << 20, 1000, concurrent, budgetBytes, queued,
                TimeUnit.MILLISECONDS.toNanos(maxWaitMillis)));
    }

    private static AdmissionController.Permit now(CompletableFuture<AdmissionController.Permit> future) {
        assertThat(future).as("admitted at once").isCompleted();
        return future.join();
    }

    private static void assertAllGivenBack(AdmissionController admission) {
        assertThat(admission.bytesInUse()).as("bytes in use").isZero();
        assertThat(admission.bytesWaiting()).as("bytes waiting").isZero();
        assertThat(admission.inFlight()).as("in flight").isZero();
        assertThat(admission.queued()).as("queued").isZero();
    }

    private static Kind kindOf(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return ((ImageProcessingException) future.handle((ok, failure) -> failure).join()).kind();
    }

    @Test
    void admitsUpToTheConcurrencyLimitAndQueuesTheRestInArrivalOrderWithoutAThread() {
        AdmissionController admission = controller(2, 1000, 10, 30_000);
        AdmissionController.Permit first = now(admission.admit(1, 0, RequestContext.NONE));
        AdmissionController.Permit second = now(admission.admit(1, 0, RequestContext.NONE));
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<AdmissionController.Permit>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            CompletableFuture<AdmissionController.Permit> turn = admission.admit(1, 0, RequestContext.NONE);
            // Each waiter in turn takes the slot, records itself and hands it on.
            turn.thenAccept(permit -> {
                order.add(id);
                permit.close();
            });
            waiting.add(turn);
        }
        assertThat(admission.queued()).isEqualTo(3);
        assertThat(admission.inFlight()).isEqualTo(2);

        first.close();
        waiting.forEach(CompletableFuture::join);
        second.close();

        assertThat(order).containsExactly(0, 1, 2);
        assertAllGivenBack(admission);
    }

    @Test
    void theBudgetHoldsBackLargeWorkButWorkAloneIsAlwaysAdmitted() {
        AdmissionController admission = controller(4, 200, 10, 30_000); // work share 70
        AdmissionController.Permit small = now(admission.admit(60, 0, RequestContext.NONE));
        CompletableFuture<AdmissionController.Permit> large = admission.admit(100, 0, RequestContext.NONE);
        assertThat(large).isNotDone();
        assertThat(admission.bytesInUse()).isEqualTo(60);

        small.close();

        large.join().close();
        assertAllGivenBack(admission);
    }

    @Test
    void inputsOfWaitingRequestsCountInTheirOwnShareAndAreRefusedAtOnceOnlyWhenItIsFull() {
        // Budget 100: inputs may hold 65, work and outputs 35.
        AdmissionController admission = controller(1, 100, 10, 30_000);
        AdmissionController.Lease input1 = admission.tryHold(30);
        AdmissionController.Permit busy = now(admission.admit(35, 30, RequestContext.NONE));
        // The work share is full: an arriving input still gets in, and waits.
        AdmissionController.Lease input2 = admission.tryHold(20);
        CompletableFuture<AdmissionController.Permit> waiting = admission.admit(10, 20, RequestContext.NONE);
        assertThat(admission.bytesInUse()).isEqualTo(85);
        assertThat(admission.bytesWaiting()).isEqualTo(20);

        assertThatThrownBy(() -> admission.tryHold(16))
                .isInstanceOfSatisfying(ImageProcessingException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OVERLOADED))
                .hasMessageContaining("not enough memory for 16 bytes more input");
        assertThat(admission.bytesInUse()).as("a refused input is not counted").isEqualTo(85);
        AdmissionController.Lease input3 = admission.tryHold(15);
        assertThat(admission.bytesInUse()).as("the inputs' share is full, not more").isEqualTo(100);

        busy.close();
        input1.close();
        waiting.join().close();
        input2.close();
        input3.close();
        assertAllGivenBack(admission);
    }

    @Test
    void aFullShareOfWaitingInputsNeverStopsTheWorkThatEmptiesTheQueue() {
        AdmissionController admission = controller(2, 100, 10, 30_000);
        List<AdmissionController.Lease> inputs = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            inputs.add(admission.tryHold(5)); // 65: the inputs' whole share
        }
        AdmissionController.Permit first = now(admission.admit(17, 5, RequestContext.NONE));
        AdmissionController.Permit second = now(admission.admit(17, 5, RequestContext.NONE));
        CompletableFuture<AdmissionController.Permit> third = admission.admit(17, 5, RequestContext.NONE);
        assertThat(third).as("both work slots are taken").isNotDone();
        assertThat(admission.bytesInUse()).isEqualTo(99);

        first.keepOnly(1).close();
        inputs.remove(0).close();
        third.join().close();
        second.close();
        inputs.forEach(AdmissionController.Lease::close);
        assertAllGivenBack(admission);
    }

    @Test
    void anOutputStaysCountedUntilWrittenAndFreesItsWorkSlotAtOnce() {
        AdmissionController admission = controller(1, 1000, 10, 30_000);
        AdmissionController.Permit work = now(admission.admit(500, 0, RequestContext.NONE));
        CompletableFuture<AdmissionController.Permit> next = admission.admit(100, 0, RequestContext.NONE);

        AdmissionController.Lease output = work.keepOnly(200);

        assertThat(admission.inFlight()).as("the next image is in work").isEqualTo(1);
        assertThat(next).isCompleted();
        assertThat(admission.bytesInUse()).as("output 200 + next work 100").isEqualTo(300);
        output.close();
        output.close(); // idempotent
        next.join().close();
        assertAllGivenBack(admission);
    }

    @Test
    void aLeaseGrowsOnlyWithinItsShareAndShrinksAtOnce() {
        AdmissionController admission = controller(1, 100, 10, 30_000);
        AdmissionController.Lease upload = admission.tryHold(10);
        upload.resize(65); // the inputs' share of 100
        assertThatThrownBy(() -> upload.resize(66))
                .isInstanceOfSatisfying(ImageProcessingException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OVERLOADED));
        assertThat(admission.bytesInUse()).isEqualTo(65);
        upload.resize(5);
        assertThat(admission.bytesInUse()).isEqualTo(5);
        upload.close();
        assertAllGivenBack(admission);
    }

    @Test
    void aFullQueueIsRefusedAsOverloadedAtOnce() {
        AdmissionController admission = controller(1, 1000, 1, 30_000);
        AdmissionController.Permit busy = now(admission.admit(1, 0, RequestContext.NONE));
        CompletableFuture<AdmissionController.Permit> waiter = admission.admit(1, 0, RequestContext.NONE);

        CompletableFuture<AdmissionController.Permit> refused = admission.admit(1, 0, RequestContext.NONE);

        assertThat(kindOf(refused)).isEqualTo(Kind.OVERLOADED);
        busy.close();
        waiter.join().close();
        assertAllGivenBack(admission);
    }

    @Test
    void aRequestThatWaitedEarlierGetsOnlyTheRestOfTheMaximumWait() {
        AdmissionController admission = controller(1, 1000, 10, 60_000);
        AdmissionController.Permit busy = now(admission.admit(1, 0, RequestContext.NONE));

        // 59.95 s already spent waiting to be read: 50 ms of the 60 s are left for admission.
        long start = System.nanoTime();
        CompletableFuture<AdmissionController.Permit> waiter = admission.admit(1, 7,
                RequestContext.NONE.afterWaiting(TimeUnit.MILLISECONDS.toNanos(59_950)));

        assertThat(kindOf(waiter)).isEqualTo(Kind.OVERLOADED);
        assertThat(System.nanoTime() - start).as("ended long before a second full wait")
                .isLessThan(TimeUnit.SECONDS.toNanos(30));
        assertThatThrownBy(waiter::join).hasMessageContaining("waited 60000 ms");
        assertThat(admission.queued()).isZero();
        busy.close();
        assertAllGivenBack(admission);
    }

    @Test
    void aWaitLongerThanTheMaximumIsRefusedAsOverloadedAndGivesItsPlaceBack() {
        AdmissionController admission = controller(1, 1000, 10, 50);
        AdmissionController.Permit busy = now(admission.admit(1, 0, RequestContext.NONE));

        CompletableFuture<AdmissionController.Permit> waiter = admission.admit(1, 7, RequestContext.NONE);

        assertThat(kindOf(waiter)).isEqualTo(Kind.OVERLOADED);
        assertThatThrownBy(waiter::join).hasMessageContaining("waited 50 ms");
        assertThat(admission.queued()).isZero();
        assertThat(admission.bytesWaiting()).isZero();
        busy.close();
        assertAllGivenBack(admission);
    }

    @Test
    void theCallersDeadlineEndsTheWait() {
        AdmissionController admission = controller(1, 1000, 10, 30_000);
        AdmissionController.Permit busy = now(admission.admit(1, 0, RequestContext.NONE));

        CompletableFuture<AdmissionController.Permit> waiter =
                admission.admit(1, 0, RequestContext.withDeadline(TimeUnit.MILLISECONDS.toNanos(50), () -> false));

        assertThat(kindOf(waiter)).isEqualTo(Kind.DEADLINE_EXCEEDED);
        busy.close();
        assertAllGivenBack(admission);
    }

    @Test
    void aCancelledWaiterLeavesTheQueueAndTheNextOneMovesUp() {
        AdmissionController admission = controller(1, 1000, 10, 30_000);
        AdmissionController.Permit busy = now(admission.admit(1, 0, RequestContext.NONE));
        CompletableFuture<AdmissionController.Permit> cancelling = admission.admit(1, 50, RequestContext.NONE);
        CompletableFuture<AdmissionController.Permit> next = admission.admit(1, 0, RequestContext.NONE);
        assertThat(admission.bytesWaiting()).isEqualTo(50);

        cancelling.cancel(false);

        assertThat(admission.queued()).isEqualTo(1);
        assertThat(admission.bytesWaiting()).isZero();
        busy.close();
        next.join().close();
        assertAllGivenBack(admission);
    }

    @Test
    void shutdownRefusesAtOnceTheWaitersThatCouldNotFinishInTheGracePeriodAndLetsTheOthersGoOn() throws Exception {
        AdmissionController admission = controller(1, 1000, 10, 30_000);
        // One image of ~100 ms gives the pace.
        long start = System.nanoTime();
        AdmissionController.Permit first = now(admission.admit(1, 0, RequestContext.NONE));
        Thread.sleep(100);
        first.keepOnly(0).close();
        long pace = System.nanoTime() - start;
        AdmissionController.Permit busy = now(admission.admit(1, 0, RequestContext.NONE));
        CompletableFuture<AdmissionController.Permit> second = admission.admit(1, 0, RequestContext.NONE);
        CompletableFuture<AdmissionController.Permit> third = admission.admit(1, 0, RequestContext.NONE);
        CompletableFuture<AdmissionController.Permit> last = admission.admit(1, 0, RequestContext.NONE);

        // 3.5 images of grace (with the safety factor): the one in work and two more fit, the fourth does not.
        admission.shutdown(pace * 7 / 2 * WorkPace.SAFETY_FACTOR);

        assertThat(kindOf(last)).isEqualTo(Kind.SHUTTING_DOWN);
        assertThat(second).isNotDone();
        assertThat(kindOf(admission.admit(1, 0, RequestContext.NONE))).isEqualTo(Kind.SHUTTING_DOWN);
        assertThatThrownBy(() -> admission.tryHold(1))
                .isInstanceOfSatisfying(ImageProcessingException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SHUTTING_DOWN));
        busy.close();
        second.join().close();
        third.join().close();
        assertAllGivenBack(admission);
    }
}
