package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory budget shared among clients: a client past its fair share of the work share gets no
 * further grants while another client waits; alone, a client may use all of it.
 */
class AdmissionMemoryShareTest {
    private static final RequestContext A = RequestContext.withoutDeadline(() -> false).withClient("alice");
    private static final RequestContext B = RequestContext.withoutDeadline(() -> false).withClient("bob");
    /** A budget of 10,000 bytes: inputs 6,500, work and answers 3,500. */
    private static final long BUDGET = 10_000;
    private static final long WORK_SHARE = BUDGET - BUDGET * AdmissionController.INPUT_SHARE_PERCENT / 100;

    private static AdmissionController controller(int maxConcurrent) {
        return new AdmissionController(new Limits(1 << 20, 1000, maxConcurrent, BUDGET, 1000,
                TimeUnit.SECONDS.toNanos(30), 1000));
    }

    @Test
    void whileOneClientsBigImageIsInWorkTheOtherGetsItsTurnsAndItsBytes() {
        assertThat(WORK_SHARE).isEqualTo(3_500);
        AdmissionController admission = controller(8);
        AdmissionController.Permit big = admission.admit(2_000, 0, A).join(); // alone: at once
        List<CompletableFuture<AdmissionController.Permit>> alice = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alice.add(admission.admit(2_000, 0, A)); // does not fit beside the first: waits
        }
        List<CompletableFuture<AdmissionController.Permit>> bob = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bob.add(admission.admit(500, 0, B));
        }

        // Alice's next image is first in turn but would take her past half the work share (1,750
        // bytes, two clients): bob's three small ones go now, beside her big one.
        assertThat(bob).allMatch(turn -> turn.isDone() && !turn.isCompletedExceptionally());
        assertThat(alice).noneMatch(CompletableFuture::isDone);
        assertThat(admission.inFlight()).isEqualTo(4);
        assertThat(admission.bytesInUse()).isEqualTo(3_500);

        big.close();
        // Alice holds nothing now: her next image goes, beside bob's 1,500 (exactly the work share).
        assertThat(alice.get(0)).isDone();
        assertThat(alice.get(1)).isNotDone();
        bob.forEach(turn -> turn.join().close());
        assertThat(alice.get(1)).as("alone again, but 2 x 2,000 exceed the work share").isNotDone();
        alice.get(0).join().close();
        alice.get(1).join().close();
        alice.get(2).join().close();
        assertThat(admission.bytesInUse()).isZero();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void withoutSharesBobWouldWaitForAliceToFinish() {
        // The same requests from one client: the FIFO's head (2,000) does not fit, and nobody
        // overtakes it, so the small ones wait for the big one (what bob got before the shares).
        AdmissionController admission = controller(8);
        AdmissionController.Permit big = admission.admit(2_000, 0, A).join();
        CompletableFuture<AdmissionController.Permit> next = admission.admit(2_000, 0, A);
        CompletableFuture<AdmissionController.Permit> small = admission.admit(500, 0, A);
        assertThat(next).isNotDone();
        assertThat(small).isNotDone();
        big.close();
        next.join().close();
        small.join().close();
        assertThat(admission.bytesInUse()).isZero();
    }

    @Test
    void aClientAloneMayUseTheWholeWorkShare() {
        AdmissionController admission = controller(8);
        AdmissionController.Permit first = admission.admit(1_000, 0, A).join();
        AdmissionController.Permit second = admission.admit(1_000, 0, A).join();
        AdmissionController.Permit third = admission.admit(1_500, 0, A).join();
        assertThat(admission.bytesInUse()).isEqualTo(WORK_SHARE);
        CompletableFuture<AdmissionController.Permit> fourth = admission.admit(1, 0, A);
        assertThat(fourth).as("the budget is full").isNotDone();
        first.close();
        assertThat(fourth).isDone();
        List.of(second, third, fourth.join()).forEach(AdmissionController.Permit::close);
        assertThat(admission.bytesInUse()).isZero();
    }

    @Test
    void aClientPastItsShareGetsNothingWhileTheOtherWaitsForRoom() {
        AdmissionController admission = controller(2);
        AdmissionController.Permit a1 = admission.admit(1_000, 0, A).join();
        AdmissionController.Permit a2 = admission.admit(1_000, 0, A).join();
        CompletableFuture<AdmissionController.Permit> a3 = admission.admit(1_000, 0, A); // both slots busy
        CompletableFuture<AdmissionController.Permit> b1 = admission.admit(3_000, 0, B);

        a2.close();
        // A slot is free and a3 fits (2,000 of 3,500), but alice would hold 2,000 of a 1,750 share
        // while bob waits for room for his 3,000: she gets nothing, so the room comes.
        assertThat(a3).isNotDone();
        assertThat(b1).isNotDone();
        assertThat(admission.inFlight()).isEqualTo(1);

        a1.close();
        // Alice holds nothing: her turn (first) goes, within the work share; bob is next in turn
        // and nobody overtakes him.
        assertThat(a3).isDone();
        CompletableFuture<AdmissionController.Permit> a4 = admission.admit(1_000, 0, A);
        assertThat(b1).isNotDone();
        a3.join().close();
        assertThat(b1).isDone();
        assertThat(a4).as("no room beside bob's 3,000").isNotDone();
        b1.join().close();
        a4.join().close();
        assertThat(admission.bytesInUse()).isZero();
        assertThat(admission.queued()).isZero();
    }

    @Test
    void anAnswerNotYetWrittenCountsInItsClientsShare() {
        AdmissionController admission = controller(8);
        AdmissionController.Lease answer = admission.admit(1_000, 0, A).join().keepOnly(2_000);
        CompletableFuture<AdmissionController.Permit> a2 = admission.admit(1_000, 0, A);
        assertThat(a2).as("alone: may use the share").isDone();
        a2.join().close();

        AdmissionController.Permit b1 = admission.admit(1_000, 0, B).join();
        CompletableFuture<AdmissionController.Permit> a3 = admission.admit(600, 0, A); // queued: would not fit
        CompletableFuture<AdmissionController.Permit> b2 = admission.admit(500, 0, B);
        CompletableFuture<AdmissionController.Permit> b3 = admission.admit(500, 0, B);
        // Alice's unwritten answer (2,000) is past half the share: bob's waiter goes on arrival,
        // though her turn came first; his second finds no room.
        assertThat(a3).isNotDone();
        assertThat(b2).isDone();
        assertThat(b3).isNotDone();
        b1.close();
        assertThat(b3).isDone();
        assertThat(a3).isNotDone();
        answer.close();
        assertThat(a3).isDone();
        a3.join().close();
        b2.join().close();
        b3.join().close();
        assertThat(admission.bytesInUse()).isZero();
    }
}
