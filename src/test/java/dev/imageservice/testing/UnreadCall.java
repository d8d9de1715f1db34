package dev.imageservice.testing;

import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A unary {@code ProcessImage} call whose client reads nothing of the answer until the test calls
 * {@link #read()}: with a small flow-control window, the answer waits on the server meanwhile, as
 * for a client that reads slowly.
 */
public final class UnreadCall {
    private final ClientCall<ImageRequest, ImageResponse> call;
    private final CompletableFuture<ImageResponse> result = new CompletableFuture<>();

    /**
     * Sends {@code image}; {@code answerReady} runs when the answer's headers arrive (the server
     * sends them with the answer), before any of it is read.
     */
    public UnreadCall(Channel channel, byte[] image, Runnable answerReady) {
        call = channel.newCall(ImageServiceGrpc.getProcessImageMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS));
        AtomicReference<ImageResponse> response = new AtomicReference<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata headers) {
                answerReady.run();
            }

            @Override
            public void onMessage(ImageResponse message) {
                response.set(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (status.isOk()) {
                    result.complete(response.get());
                } else {
                    result.completeExceptionally(status.asRuntimeException());
                }
            }
        }, new Metadata());
        call.sendMessage(ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(image)).build());
        call.halfClose();
    }

    /** Reads the answer from now on. */
    public void read() {
        call.request(1);
    }

    /** The answer, or the call's status as a {@link io.grpc.StatusRuntimeException}. */
    public CompletableFuture<ImageResponse> result() {
        return result;
    }
}
