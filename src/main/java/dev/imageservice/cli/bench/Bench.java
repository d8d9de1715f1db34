package dev.imageservice.cli.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs one load test from {@link BenchOptions}: picks the sender, drives the loop, builds the report. */
public final class Bench {

    private Bench() {
    }

    public static BenchReport run(BenchOptions options) throws InterruptedException {
        // Refuse a wrong --server-pid before any thread or connection exists.
        ProcessProbe server = options.serverPid() == null ? null : new ProcessProbe(options.serverPid());
        // A few threads are plenty: they only record outcomes and start the next requests.
        int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        AtomicInteger count = new AtomicInteger();
        ExecutorService callbacks = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "bench-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try (RequestSender sender = sender(options, callbacks)) {
            ExpectedAnswers expected = options.verify()
                    ? ExpectedAnswers.take(sender, options.images(), options.load().requestTimeout())
                    : ExpectedAnswers.none();
            double serverCpuBefore = server == null ? 0 : server.cpuMillis();
            LoadRunner.Result result = new LoadRunner(sender, options.images(), options.load(), callbacks, expected).run();
            BenchReport.ServerUsage usage = null;
            long requests = result.stats().count();
            if (server != null) {
                double cpu = server.cpuMillis() - serverCpuBefore;
                usage = new BenchReport.ServerUsage(server.pid(), cpu, requests == 0 ? 0 : cpu / requests,
                        server.peakRssKiB(), server.rssKiB());
            }
            return report(options, result, usage, expected);
        } finally {
            callbacks.shutdownNow();
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static RequestSender sender(BenchOptions options, ExecutorService callbacks) {
        LoadSettings load = options.load();
        return switch (options.target().transport()) {
            case GRPC -> new GrpcRequestSender(options.target(), options.images(), options.newConnectionPerRequest(),
                    options.connections(), load.requestTimeout(), callbacks, options.grpcRetries(), options.security());
            case HTTP -> new HttpRequestSender(options.target(), options.images(), options.newConnectionPerRequest(),
                    options.httpBody(), load.requestTimeout(), callbacks, options.security());
        };
    }

    static BenchReport report(BenchOptions options, LoadRunner.Result result, BenchReport.ServerUsage server,
                              ExpectedAnswers expected) {
        LoadStats stats = result.stats();
        long requests = stats.count();
        double seconds = result.elapsedSeconds();
        return new BenchReport(
                options.target().toString(),
                options.newConnectionPerRequest(),
                options.connections(),
                options.load().concurrency(),
                options.load().ramp().toMillis(),
                options.load().duration().toMillis(),
                options.images().stream().map(BenchReport.ImageSummary::of).toList(),
                requests,
                stats.succeeded(),
                requests - stats.succeeded(),
                result.unfinished(),
                seconds,
                perSecond(requests, seconds),
                BenchReport.Latency.ofMicros(stats.latencyMicros()),
                perSecond(stats.receivedBytes(), seconds),
                perSecond(stats.sentBytes(), seconds),
                stats.statuses(),
                stats.firstDetails(),
                requests == 0 ? 0 : result.clientCpuMillis() / requests,
                server,
                new BenchReport.AnswerCheck(options.verify(), expected.verifiedImages(), expected.unverified()));
    }

    private static double perSecond(double amount, double seconds) {
        return seconds <= 0 ? 0 : amount / seconds;
    }
}
