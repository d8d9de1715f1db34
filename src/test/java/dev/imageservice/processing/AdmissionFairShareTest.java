package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.ImageProcessingException.Kind;
import dev.imageservice.processing.format.ImageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admission queue shared among clients: a backlog of one does not make the others wait behind it. */
class AdmissionFairShareTest {
    private static final RequestContext A = RequestContext.withoutDeadline(() -> false).withClient("alice");
    private static final RequestContext B = RequestContext.withoutDeadline(() -> false).withClient("bob");
    private static final RequestContext C = RequestContext.withoutDeadline(() -> false).withClient("carol");

    /** The work share of the 1 MiB budget of {@link #controller}. */
    private static final long WORK_SHARE = (1 << 20) - (1 << 20) * AdmissionController.INPUT_SHARE_PERCENT / 100;

    private static AdmissionController controller(int queued, int queuedPerClient) {
        return new AdmissionController(new Limits(1 << 20, 1000, 1, 1 << 20, queued,
                TimeUnit.SECONDS.toNanos(30), queuedPerClient));
    }

    @Test
    void aSingleCallOfOneClientIsServedBeforeTheBacklogOfAnother() {
        AdmissionController admission = controller(1000, 1000);
        AdmissionController.Permit inWork = admission.admit(1, 0, A).join();
        AdmissionController.Permit spare = admission.admit(1, 0, C).join(); // the spare slot, taken
        List<String> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<AdmissionController.Permit>> turns = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            turns.add(served(admission.admit(1, 0, A), "alice", order));
        }
        turns.add(served(admission.admit(1, 0, B), "bob", order));
        assertThat(admission.queued()).isEqualTo(101);

        inWork.close(); // each waiter takes the one slot, notes itself and hands it on

        CompletableFuture.allOf(turns.toArray(CompletableFuture[]::new)).join();
        assertThat(order).hasSize(101);
        assertThat(order.indexOf("bob")).as("bob's place among 101 served").isEqualTo(1);
        assertThat(admission.queued()).isZero();
        spare.close();
        assertThat(admission.bytesInUse()).isZero();
    }

    @Test
    void aClientPastItsCapIsRefusedAsOverloadedWhileOthersAreStillQueued() {
        AdmissionController admission = controller(1000, 3);
        AdmissionController.Permit inWork = admission.admit(1, 0, A).join();
        List<CompletableFuture<AdmissionController.Permit>> alice = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alice.add(admission.admit(1, 0, A));
        }
        CompletableFuture<AdmissionController.Permit> refused = admission.admit(1, 0, A);
        CompletableFuture<AdmissionController.Permit> bob = admission.admit(1, 0, B);

        assertThat(refused).isCompletedExceptionally();
        ImageProcessingException failure = (ImageProcessingException) refused.handle((ok, e) -> e).join();
        assertThat(failure.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(failure.getMessage()).contains("3 requests waiting (the limit per client)");
        assertThat(bob).as("another client with nothing in work goes on the spare slot").isDone();
        assertThat(admission.queued()).isEqualTo(3);

        inWork.close();
        for (CompletableFuture<AdmissionController.Permit> turn : List.of(alice.get(0), bob, alice.get(1), alice.get(2))) {
            turn.join().close();
        }
        assertThat(admission.queued()).isZero();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void aClientWithNothingInWorkGoesOnTheSpareSlotOneAtATime() {
        AdmissionController admission = controller(1000, 1000);
        assertThat(admission.maxInWork()).isEqualTo(2);
        AdmissionController.Permit alice = admission.admit(1, 0, A).join();
        CompletableFuture<AdmissionController.Permit> alicesNext = admission.admit(1, 0, A);
        CompletableFuture<AdmissionController.Permit> bob = admission.admit(1, 0, B);
        assertThat(alicesNext).as("alice has the one slot").isNotDone();
        assertThat(bob).as("bob has nothing in work: the spare slot").isDone();
        CompletableFuture<AdmissionController.Permit> bobsNext = admission.admit(1, 0, B);
        CompletableFuture<AdmissionController.Permit> carol = admission.admit(1, 0, C);
        assertThat(bobsNext).as("bob has one in work").isNotDone();
        assertThat(carol).as("one spare slot only").isNotDone();
        assertThat(admission.inFlight()).isEqualTo(2);

        bob.join().close();
        // The spare slot is free, alice still has the other: bob, with nothing in work again and his
        // turn before carol's, goes on it; alice's next waits for her own image.
        assertThat(bobsNext).isDone();
        assertThat(carol).isNotDone();
        assertThat(alicesNext).isNotDone();
        alice.close();
        assertThat(alicesNext).as("alice's turn comes before carol's").isDone();
        assertThat(carol).isNotDone();
        bobsNext.join().close();
        assertThat(carol).isDone();
        alicesNext.join().close();
        carol.join().close();
        assertThat(admission.inFlight()).isZero();
        assertThat(admission.bytesInUse()).isZero();
    }

    @Test
    void oneClientNeverUsesTheSpareSlot() {
        AdmissionController admission = controller(1000, 1000);
        AdmissionController.Permit first = admission.admit(1, 0, A).join();
        CompletableFuture<AdmissionController.Permit> second = admission.admit(1, 0, A);
        assertThat(second).isNotDone();
        first.close();
        second.join().close();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void requestsWithoutAClientNameShareOneQueueInArrivalOrder() {
        AdmissionController admission = controller(10, 10);
        AdmissionController.Permit inWork = admission.admit(1, 0, RequestContext.NONE).join();
        List<String> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<AdmissionController.Permit>> turns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            turns.add(served(admission.admit(1, 0, RequestContext.NONE), "call" + i, order));
        }
        inWork.close();
        CompletableFuture.allOf(turns.toArray(CompletableFuture[]::new)).join();
        assertThat(order).containsExactly("call0", "call1", "call2", "call3", "call4");
    }

    @Test
    void anUnreadAnswerOfAClientPastItsFairShareIsTakenBackWhenAnotherClientWaitsForRoom() {
        AdmissionController admission = controller(1000, 1000);
        long answer = WORK_SHARE * 2 / 5;
        ProcessedImage first = answered(admission, A, answer);
        ProcessedImage second = answered(admission, A, answer);
        CompletableFuture<AdmissionController.Permit> bob = admission.admit(WORK_SHARE / 2, 0, B);
        assertThat(bob).as("no room beside alice's unread answers (4/5 of the work share)").isNotDone();

        // Alice holds 4/5 of the work share; her fair share, with bob waiting, is 1/2.
        assertThat(first.reclaimIfCrowding()).isTrue();
        assertThat(bob).as("admitted in the room given back").isDone();
        assertThat(second.reclaimIfCrowding()).as("nobody waits for room any more").isFalse();
        first.release(); // the transport's own release once the call is reset: nothing more to give back
        assertThat(admission.bytesInUse()).isEqualTo(answer + WORK_SHARE / 2);

        bob.join().close();
        second.release();
        assertThat(admission.bytesInUse()).isZero();
    }

    @Test
    void anAnswerWithinItsClientsFairShareOrWaitedForOnlyByItsOwnClientIsNotTakenBack() {
        AdmissionController admission = controller(1000, 1000);
        ProcessedImage alices = answered(admission, A, WORK_SHARE / 5);
        assertThat(alices.reclaimIfCrowding()).as("nobody waits").isFalse();
        CompletableFuture<AdmissionController.Permit> alicesNext = admission.admit(WORK_SHARE, 0, A);
        assertThat(alicesNext).isNotDone();
        assertThat(alices.reclaimIfCrowding()).as("only her own call waits").isFalse();
        alicesNext.cancel(false);

        AdmissionController.Permit carol = admission.admit(WORK_SHARE * 7 / 10, 0, C).join();
        CompletableFuture<AdmissionController.Permit> bob = admission.admit(WORK_SHARE / 5, 0, B);
        assertThat(bob).as("no room: 1/5 + 7/10 + 1/5 of the work share").isNotDone();
        assertThat(alices.reclaimIfCrowding()).as("1/5 is within her fair share of 1/3").isFalse();

        carol.close();
        bob.join().close();
        alices.release();
        assertThat(admission.bytesInUse()).isZero();
    }

    /** An answer of {@code bytes} whose work is done, counted until written, as the processor hands it to a transport. */
    private static ProcessedImage answered(AdmissionController admission, RequestContext client, long bytes) {
        AdmissionController.Lease answer = admission.admit(bytes, 0, client).join().keepOnly(bytes);
        return new ProcessedImage(new byte[1], "image/png", ImageFormat.PNG, new ImageInfo(1, 1, 3, 8), 1, 0, 0, 0)
                .withAnswer(answer);
    }

    private static CompletableFuture<AdmissionController.Permit> served(CompletableFuture<AdmissionController.Permit> turn,
            String who, List<String> order) {
        turn.thenAccept(permit -> {
            order.add(who);
            permit.close();
        });
        return turn;
    }
}
