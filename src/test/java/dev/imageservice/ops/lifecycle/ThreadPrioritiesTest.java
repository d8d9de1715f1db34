package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadPrioritiesTest {

    @Test
    void threadsRunAtTheRaisedNiceValueAndTheMakerKeepsItsOwn() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "nice values per thread are Linux's");
        int own = ThreadPriorities.currentNice();
        assumeTrue(own <= 14, "the test JVM already runs at nice " + own);
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread thread = ThreadPriorities.lowered("test-work-%d", 5)
                .newThread(() -> seen.complete(Thread.currentThread().getName() + " " + ThreadPriorities.currentNice()));
        assertThat(thread.isDaemon()).isFalse();
        thread.start();
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("test-work-0 " + (own + 5));
        assertThat(ThreadPriorities.currentNice()).isEqualTo(own);
    }

    @Test
    void zeroLeavesThePriorityAlone() throws Exception {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "nice values per thread are Linux's");
        int own = ThreadPriorities.currentNice();
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        ThreadPriorities.lowered("test-work-%d", 0).newThread(() -> seen.complete(ThreadPriorities.currentNice())).start();
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(own);
    }
}
