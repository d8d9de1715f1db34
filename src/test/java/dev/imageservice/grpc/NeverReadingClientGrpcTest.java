package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.ReadAheadGate;
import dev.imageservice.processing.codec.Codecs;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.UnreadCall;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that never reads its answers, on a real Netty server: its unread answers fill the
 * budget's work share, and another client's call, which would otherwise wait for the stall timeout
 * (set to 10 minutes here), is admitted once one of those answers is taken back (the never-reader
 * holds more than its fair share while the other waits for room): that call is reset (CANCELLED),
 * the other client gets its exact answer, and every byte is given back at the end. Fails without
 * the fair-share rule: the other call waits for the stall timeout, past its 120 s deadline.
 */
class NeverReadingClientGrpcTest {
    /** Work share: 35% of 16 MiB = 5.6 MiB; one image's work ~2.9 MB, its answer (noise) ~0.8 MB. */
    private static final Limits LIMITS = new Limits(8 << 20, 4_000_000, 1, 16 << 20, 200, TimeUnit.SECONDS.toNanos(120));
    private static final Metadata.Key<String> CLIENT = Metadata.Key.of("x-test-client", Metadata.ASCII_STRING_MARSHALLER);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AdmissionController budget = new AdmissionController(LIMITS);
    private GrpcServer server;
    private ReadAheadGate gate;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
        timer.shutdownNow();
        threads.shutdownNow();
    }

    @Test
    void anotherClientIsAnsweredWhileTheNeverReadersAnswersFillTheWorkShare() throws Exception {
        startServer();
        TestImages.Pixels pixels = TestImages.photoLike(600, 450, 3, 8, 11);
        byte[] png = TestImages.encode(pixels, ".png");
        long work = Limits.workBytes(600 * 450, png.length);
        long workShare = LIMITS.memoryBudgetBytes() - LIMITS.memoryBudgetBytes() * AdmissionController.INPUT_SHARE_PERCENT / 100;
        assertThat(work).as("one image's work").isLessThan(workShare / 2);

        // The never-reader: a small window (what it does not read stays on the server), answers it never reads.
        Channel neverReader = named(channel(64 * 1024), "never-reader");
        // Its calls, one by one, until one waits for room beside the unread answers of the others.
        List<UnreadCall> never = new ArrayList<>();
        UnreadCall waiting = null;
        while (waiting == null) {
            assertThat(never).as("unread answers before the work share is full").hasSizeLessThan(20);
            CountDownLatch answerReady = new CountDownLatch(1);
            UnreadCall call = new UnreadCall(neverReader, png, answerReady::countDown);
            awaitState(() -> answerReady.getCount() == 0 || budget.queued() == 1, "answered or waiting for room");
            if (answerReady.getCount() == 0) {
                never.add(call);
            } else {
                waiting = call;
            }
        }
        assertThat(never).hasSizeGreaterThan(1);

        ImageResponse answer = ImageServiceGrpc.newBlockingStub(named(channel(1 << 20), "reader"))
                .withDeadlineAfter(120, TimeUnit.SECONDS)
                .processImage(ImageRequest.newBuilder().setImageData(ByteString.copyFrom(png)).build());

        assertThat(TestImages.decode(answer.getImageData().toByteArray())).isEqualTo(pixels.swapped());
        // Now it reads: the answers not taken back arrive whole, the ones taken back were reset.
        // (A client sees a reset only once it reads up to it: gRPC delivers what came before first.)
        waiting.read();
        List<Status.Code> ended = new ArrayList<>();
        for (UnreadCall call : never) {
            call.read();
            ended.add(statusOf(call.result()));
        }
        assertThat(ended).as("how the never-read calls ended").contains(Status.Code.CANCELLED)
                .containsOnly(Status.Code.OK, Status.Code.CANCELLED);
        assertThat(statusOf(waiting.result())).isIn(Status.Code.OK, Status.Code.CANCELLED);
        awaitState(() -> budget.bytesInUse() == 0 && budget.inFlight() == 0 && budget.queued() == 0,
                "everything given back");
    }

    private void startServer() throws Exception {
        // Outside a Dropwizard app, logback logs Netty's every frame (hex dumps included) at DEBUG.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        gate = new ReadAheadGate(budget, LIMITS, 1, timer);
        GrpcServerFactory config = new GrpcServerFactory();
        config.setPort(0);
        config.setBindHost("127.0.0.1");
        NettyServerBuilder builder = config.serverBuilder();
        server = new GrpcServer(builder, config.configureConnections(builder),
                List.of(new ImageGrpcService(PipelineImageProcessor.channelSwapToPng(LIMITS, Codecs.FAST, budget, threads),
                        budget, gate, LIMITS.maxInputBytes(), TimeUnit.MINUTES.toNanos(10), timer)),
                List.of(namedByHeader()), threads, threads, LIMITS.maxInputBytes(), TimeUnit.SECONDS.toNanos(5));
        server.start();
    }

    private ManagedChannel channel(int flowControlWindow) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .flowControlWindow(flowControlWindow).maxInboundMessageSize(64 << 20).build();
        channels.add(channel);
        return channel;
    }

    private static Channel named(Channel channel, String client) {
        Metadata headers = new Metadata();
        headers.put(CLIENT, client);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Names each call's client from a header, as the API keys' interceptor does from the key. */
    private static ServerInterceptor namedByHeader() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                Context named = Context.current().withValue(CallerName.KEY, headers.get(CLIENT));
                return Contexts.interceptCall(named, call, headers, next);
            }
        };
    }

    private static Status.Code statusOf(CompletableFuture<ImageResponse> result) throws InterruptedException {
        try {
            result.get(60, TimeUnit.SECONDS);
            return Status.Code.OK;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof StatusRuntimeException status ? status.getStatus().getCode() : Status.Code.UNKNOWN;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the call did not end", e);
        }
    }

    private static void awaitState(java.util.function.BooleanSupplier state, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!state.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached in 60 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
