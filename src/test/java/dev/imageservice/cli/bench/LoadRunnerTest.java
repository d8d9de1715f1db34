package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadRunnerTest {
    private final ExecutorService callbacks = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService server = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        callbacks.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void concurrencyIsTheNumberOfRequestsInFlight() throws Exception {
        BenchImage image = BenchImage.of("in.png", PngCheckTest.encode(4, 3, "png"));
        FakeServer fake = new FakeServer(LoadStatsTest.okOutcome(image));

        LoadRunner.Result result = new LoadRunner(fake, List.of(image),
                new LoadSettings(5, Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(5)), callbacks).run();

        assertThat(fake.maxInFlight.get()).isEqualTo(5);
        assertThat(fake.inFlight.get()).isZero();
        assertThat(result.unfinished()).isZero();
        assertThat(result.stats().count()).isEqualTo(fake.sent.get()).isGreaterThan(5);
        assertThat(result.stats().succeeded()).isEqualTo(result.stats().count());
        assertThat(fake.workers.get()).isEqualTo(0b11111);
    }

    @Test
    void imagesAreSentInTurn() throws Exception {
        BenchImage first = BenchImage.of("a.png", PngCheckTest.encode(4, 3, "png"));
        BenchImage second = BenchImage.of("b.png", PngCheckTest.encode(4, 3, "png"));
        AtomicInteger firstCount = new AtomicInteger();
        AtomicInteger secondCount = new AtomicInteger();
        Outcome ok = LoadStatsTest.okOutcome(first);
        RequestSender sender = new RequestSender() {
            @Override
            public CompletableFuture<Outcome> send(BenchImage image, int worker) {
                (image == first ? firstCount : secondCount).incrementAndGet();
                return CompletableFuture.completedFuture(ok);
            }

            @Override
            public void close() {
            }
        };

        new LoadRunner(sender, List.of(first, second),
                new LoadSettings(1, Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(5)), callbacks).run();

        // One client sends strictly in turn: the counts differ by at most one.
        assertThat(firstCount.get()).isPositive();
        assertThat(Math.abs(firstCount.get() - secondCount.get())).isLessThanOrEqualTo(1);
    }

    @Test
    void senderThatThrowsAtOnceIsCountedWithoutRecursing() throws Exception {
        BenchImage image = BenchImage.of("in.png", PngCheckTest.encode(4, 3, "png"));
        RequestSender broken = new RequestSender() {
            @Override
            public CompletableFuture<Outcome> send(BenchImage ignored, int worker) {
                throw new IllegalStateException("no connection");
            }

            @Override
            public void close() {
            }
        };

        LoadRunner.Result result = new LoadRunner(broken, List.of(image),
                new LoadSettings(2, Duration.ZERO, Duration.ofMillis(200), Duration.ofSeconds(5)), callbacks).run();

        assertThat(result.stats().count()).isPositive();
        assertThat(result.stats().statuses()).containsOnlyKeys("client error");
        assertThat(result.unfinished()).isZero();
    }

    @Test
    void clientsStartEvenlyOverTheRamp() {
        LoadSettings settings = new LoadSettings(4, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60));

        assertThat(List.of(settings.startOffset(0), settings.startOffset(1), settings.startOffset(2), settings.startOffset(3)))
                .containsExactly(Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750));
        assertThat(settings.sendingTime()).isEqualTo(Duration.ofSeconds(11));
    }

    /** Answers every request a millisecond later and watches how many are in flight. */
    private final class FakeServer implements RequestSender {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger workers = new AtomicInteger();
        private final Outcome answer;

        FakeServer(Outcome answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<Outcome> send(BenchImage image, int worker) {
            sent.incrementAndGet();
            workers.accumulateAndGet(1 << worker, (a, b) -> a | b);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<Outcome> response = new CompletableFuture<>();
            server.schedule(() -> {
                inFlight.decrementAndGet();
                response.complete(answer);
            }, 1, TimeUnit.MILLISECONDS);
            return response;
        }

        @Override
        public void close() {
        }
    }
}
