package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.TestLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Idle workers are lent to an image in work only while admission leaves workers idle. */
class IdleWorkersTest {

    @Test
    void lendsOnlyTheWorkersNoAdmittedImageUses() {
        AdmissionController admission = new AdmissionController(TestLimits.DEFAULTS); // 2 at once
        List<Runnable> ran = new ArrayList<>();
        IdleWorkers idle = new IdleWorkers(admission, 2, ran::add);

        AdmissionController.Permit first = admission.admit(1, 0, RequestContext.NONE).join();
        assertThat(idle.borrow(3)).as("one image in work, one worker idle").isEqualTo(1);
        assertThat(idle.borrow(3)).as("that one is lent already").isZero();
        idle.giveBack(1);

        AdmissionController.Permit second = admission.admit(1, 0, RequestContext.NONE).join();
        assertThat(idle.borrow(3)).as("under load: every worker has an image").isZero();

        second.close();
        first.close();
        assertThat(idle.borrow(1)).isEqualTo(1);
        idle.execute(() -> { });
        assertThat(ran).hasSize(1);
    }
}
