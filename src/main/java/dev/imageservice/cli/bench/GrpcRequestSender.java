package dev.imageservice.cli.bench;

import dev.imageservice.cli.ClientSecurity;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import dev.imageservice.cli.GrpcChannels;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Sends {@code image.ImageService/ProcessImage} calls with the asynchronous stub. Either a fixed set
 * of channels (connections) shared by the clients, or, with {@code newConnectionPerRequest}, a new
 * channel for every call, closed when the call ends, as the tutorial's k6 test does.
 */
public final class GrpcRequestSender implements RequestSender {
    private final ClientSecurity security;
    /** Photos encode to large PNGs: gRPC's 4 MiB default would refuse a 2 MP response. */
    public static final int MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

    private final BenchTarget target;
    private final boolean retries;
    private final Duration timeout;
    private final Executor callbacks;
    private final ManagedChannel[] channels;
    private final Map<BenchImage, ImageRequest> requests = new IdentityHashMap<>();

    /**
     * @param connections how many channels the clients share (client i uses channel i mod n);
     *                    ignored when a new connection is made per request
     * @param callbacks   where gRPC runs call callbacks and parses responses
     */
    public GrpcRequestSender(BenchTarget target, List<BenchImage> images, boolean newConnectionPerRequest,
                             int connections, Duration timeout, Executor callbacks) {
        this(target, images, newConnectionPerRequest, connections, timeout, callbacks, true);
    }

    /** @param retries retry UNAVAILABLE calls on another server, as the shipped service config says */
    public GrpcRequestSender(BenchTarget target, List<BenchImage> images, boolean newConnectionPerRequest,
                             int connections, Duration timeout, Executor callbacks, boolean retries) {
        this(target, images, newConnectionPerRequest, connections, timeout, callbacks, retries, ClientSecurity.NONE);
    }

    /** As above, over TLS and with an API key as {@code security} says. */
    public GrpcRequestSender(BenchTarget target, List<BenchImage> images, boolean newConnectionPerRequest,
                             int connections, Duration timeout, Executor callbacks, boolean retries,
                             ClientSecurity security) {
        if (target.transport() != BenchTarget.Transport.GRPC) {
            throw new IllegalArgumentException("not a gRPC target: " + target);
        }
        this.target = target;
        this.retries = retries;
        this.timeout = timeout;
        this.callbacks = callbacks;
        this.security = security;
        // The request messages are built once; the stub serialises them straight from these arrays.
        for (BenchImage image : images) {
            requests.put(image, ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(image.data())).build());
        }
        if (newConnectionPerRequest) {
            channels = null;
        } else {
            if (connections < 1) {
                throw new IllegalArgumentException("connections must be at least 1, not " + connections);
            }
            channels = new ManagedChannel[connections];
            for (int i = 0; i < connections; i++) {
                channels[i] = newChannel();
            }
        }
    }

    private ManagedChannel newChannel() {
        // host:port lists skip name resolution; the shared Netty event loops serve every channel.
        // Several servers: round_robin per call, UNAVAILABLE retried on another (the shipped config).
        return security.applyTo(GrpcChannels.forTarget(target.channelTarget(), retries))
                .executor(callbacks)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    @Override
    public CompletableFuture<Outcome> send(BenchImage image, int worker) {
        return send(image, worker, false);
    }

    @Override
    public CompletableFuture<Outcome> sendKeepingBody(BenchImage image) {
        return send(image, 0, true);
    }

    private CompletableFuture<Outcome> send(BenchImage image, int worker, boolean keepBody) {
        ImageRequest request = requests.get(image);
        if (request == null) {
            throw new IllegalArgumentException("unknown image " + image.name());
        }
        ManagedChannel channel = channels == null ? newChannel() : channels[worker % channels.length];
        long sent = image.data().length;
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        ImageServiceGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .withMaxOutboundMessageSize(MAX_MESSAGE_BYTES)
                .processImage(request, new StreamObserver<>() {
                    private ImageResponse response;

                    @Override
                    public void onNext(ImageResponse value) {
                        response = value;
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        release();
                        // UNAVAILABLE: no connection, so (as far as we know) nothing was sent.
                        result.complete(Outcome.failure(status.getCode().name(),
                                status.getCode() == Status.Code.UNAVAILABLE ? 0 : sent, describe(status)));
                    }

                    @Override
                    public void onCompleted() {
                        release();
                        ByteString body = response == null ? ByteString.EMPTY : response.getImageData();
                        byte[] head = body.substring(0, Math.min(body.size(), Outcome.HEAD_BYTES)).toByteArray();
                        result.complete(new Outcome(Status.Code.OK.name(), true, sent, body.size(), head, null,
                                digest(body), keepBody ? body.toByteArray() : null));
                    }

                    private void release() {
                        if (channels == null) {
                            // The call is over: a graceful shutdown closes its connection.
                            channel.shutdown();
                        }
                    }
                });
        return result;
    }

    private static long digest(ByteString body) {
        CRC32C crc = new CRC32C();
        for (ByteBuffer piece : body.asReadOnlyByteBufferList()) {
            crc.update(piece);
        }
        return crc.getValue();
    }

    private static String describe(Status status) {
        String description = status.getDescription();
        Throwable cause = status.getCause();
        if (cause == null || cause.getMessage() == null) {
            return description;
        }
        return description == null ? cause.getMessage() : description + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        if (channels == null) {
            return;
        }
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : channels) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
