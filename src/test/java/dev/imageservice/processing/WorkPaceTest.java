package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shutdown plan from made-up histories (event times are given, not measured): work and the
 * writing of answers each limit which waiters can still be answered within the time left.
 */
class WorkPaceTest {
    private static final long MS = 1_000_000L;
    private static final long WORK = 16_000_000L;
    private static final long ANSWER = 3_000_000L;

    @Test
    void answersTakenAtOnceLeaveTheWorkAsTheOnlyLimit() {
        WorkPace pace = new WorkPace();
        long t = System.nanoTime() - 60_000 * MS;
        for (int i = 0; i < 10; i++) {
            pace.done(100 * MS, WORK, ANSWER, t += 100 * MS);
            pace.written(ANSWER, t += MS);
        }
        // 200 ms an image with the safety factor; 2 s left: the work limits it to 9 behind none in work.
        WorkPace.Plan plan = pace.plan(System.nanoTime() + 2_000 * MS, 0, 0, 1);
        int admitted = 0;
        while (plan.admits(WORK)) {
            admitted++;
        }
        assertThat(admitted).isBetween(9, 10);
    }

    @Test
    void aSlowReaderLimitsTheWaitersToWhatCanBeWrittenInTime() {
        WorkPace pace = new WorkPace();
        long t = System.nanoTime() - 60_000 * MS;
        // Fast work, but every answer takes a second to be written, one after the other.
        for (int i = 0; i < 10; i++) {
            pace.done(100 * MS, WORK, ANSWER, t);
            pace.written(ANSWER, t += 1_000 * MS);
        }
        // 3 MB a second, 2 MB/s with the safety factor: 1.5 s an answer. With 6.2 s left and nothing
        // unwritten, four waiters can be answered; the work alone would allow about thirty.
        WorkPace.Plan plan = pace.plan(System.nanoTime() + 6_200 * MS, 0, 0, 1);
        int admitted = 0;
        while (plan.admits(WORK)) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(4);
    }

    @Test
    void unwrittenAnswersAndImagesInWorkGoFirst() {
        WorkPace pace = new WorkPace();
        long t = System.nanoTime() - 10_000 * MS; // the history ends now
        for (int i = 0; i < 10; i++) {
            pace.done(100 * MS, WORK, ANSWER, t);
            pace.written(ANSWER, t += 1_000 * MS);
        }
        // Two answers still unwritten, one image in work: 3 answers (4.5 s) ahead of any waiter,
        // whose own answer ends at 6 s.
        pace.done(100 * MS, WORK, ANSWER, t);
        pace.done(100 * MS, WORK, ANSWER, t);
        assertThat(pace.plan(System.nanoTime() + 5_500 * MS, 1, WORK + 2 * ANSWER, 1).admits(WORK)).isFalse();
        WorkPace.Plan plan = pace.plan(System.nanoTime() + 7_000 * MS, 1, WORK + 2 * ANSWER, 1);
        assertThat(plan.admits(WORK)).isTrue();
        assertThat(plan.admits(WORK)).isFalse();
    }

    @Test
    void withoutAnyHistoryOnlyTheWorkEstimateCounts() {
        WorkPace pace = new WorkPace();
        WorkPace.Plan plan = pace.plan(System.nanoTime() + 10_000 * MS, 0, 0, 2);
        // 5 ns a byte of work until measured, times two: 160 ms for 16 MB.
        assertThat(plan.admits(WORK)).isTrue();
        assertThat(pace.plan(System.nanoTime() + 100 * MS, 0, 0, 2).admits(WORK)).isFalse();
    }
}
