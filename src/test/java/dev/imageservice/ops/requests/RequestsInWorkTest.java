package dev.imageservice.ops.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.StageListener.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests a native library's line may have come from, and how the line names them. */
class RequestsInWorkTest {
    private final RequestsInWork registry = new RequestsInWork();

    @Test
    void aRequestIsACandidateFromTheEndOfItsWaitUntilShortlyAfterItsWork() {
        RequestsInWork.Visit visit = registry.visit("abc");
        assertThat(registry.candidates(System.nanoTime())).as("still waiting for admission").isEmpty();
        visit.stageEnded(Stage.QUEUE, "queue", 0, 0);
        assertThat(registry.candidates(System.nanoTime())).containsExactly("abc");
        visit.stageEnded(Stage.DECODE, "decode", 0, 0);
        visit.left();
        long now = System.nanoTime();
        assertThat(registry.candidates(now)).as("left just now: its line may still be in the pipe").containsExactly("abc");
        assertThat(registry.candidates(now + RequestsInWork.RECENT_NANOS + 1_000_000)).isEmpty();
    }

    @Test
    void aRequestThatEndedBeforeAdmissionIsNeverInWork() {
        RequestsInWork.Visit visit = registry.visit("refused");
        visit.left();
        visit.stageEnded(Stage.QUEUE, "queue", 0, 0); // a late callback: ignored
        assertThat(registry.candidates(System.nanoTime())).isEmpty();
    }

    @Test
    void theLineNamesOneRequestAFewOrCountsThem() {
        assertThat(RequestsInWork.describe(List.of())).isEqualTo("; request not known");
        assertThat(RequestsInWork.describe(List.of("a"))).isEqualTo(" during request a");
        assertThat(RequestsInWork.describe(List.of("a", "b", "c"))).isEqualTo(" during one of 3 requests: a, b, c");
        assertThat(RequestsInWork.describe(List.of("a", "b", "c", "d", "e"))).isEqualTo(" during 5 requests");
    }

    @Test
    void candidatesAreOldestFirstAndLeaveWhenDone() {
        RequestsInWork.Visit first = registry.visit("first");
        RequestsInWork.Visit second = registry.visit("second");
        second.stageEnded(Stage.QUEUE, "queue", 0, 0);
        first.stageEnded(Stage.QUEUE, "queue", 0, 0);
        assertThat(registry.candidates(System.nanoTime())).containsExactly("second", "first");
        first.left();
        first.left();
        assertThat(registry.candidates(System.nanoTime() + RequestsInWork.RECENT_NANOS + 1_000_000))
                .containsExactly("second");
    }
}
