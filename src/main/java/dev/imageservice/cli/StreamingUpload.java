package dev.imageservice.cli;

import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The client side of {@code ProcessImageStream}: sends an image in chunks, only as fast as the
 * server takes them (gRPC flow control), and collects the PNG chunks of the answer.
 */
public final class StreamingUpload {
    /** 1 MiB: well under every client's and server's default 4 MiB message limit. */
    public static final int CHUNK_BYTES = 1 << 20;

    private StreamingUpload() {
    }

    /**
     * Processes {@code image} over the streaming rpc and returns the PNG.
     *
     * @throws StatusRuntimeException with the server's status when it refuses the image
     */
    public static byte[] process(ImageServiceGrpc.ImageServiceStub stub, byte[] image) throws InterruptedException {
        return process(stub, image, ImageRequest.getDefaultInstance());
    }

    /**
     * Processes {@code image} over the streaming rpc with the operations, format and quality of
     * {@code options} (its image data is not used), which travel in the first chunk.
     *
     * @throws StatusRuntimeException with the server's status when it refuses the image
     */
    public static byte[] process(ImageServiceGrpc.ImageServiceStub stub, byte[] image, ImageRequest options)
            throws InterruptedException {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        stub.processImageStream(new ClientResponseObserver<ImageChunk, ImageChunk>() {
            private final ByteArrayOutputStream png = new ByteArrayOutputStream();
            private int sent;
            private boolean halfClosed;

            @Override
            public void beforeStart(ClientCallStreamObserver<ImageChunk> requests) {
                requests.setOnReadyHandler(() -> {
                    while (requests.isReady() && sent < image.length) {
                        int length = Math.min(CHUNK_BYTES, image.length - sent);
                        ImageChunk.Builder chunk = ImageChunk.newBuilder()
                                .setData(UnsafeByteOperations.unsafeWrap(image, sent, length));
                        if (sent == 0) {
                            chunk.addAllOperations(options.getOperationsList())
                                    .setFormat(options.getFormat())
                                    .setQuality(options.getQuality());
                        }
                        requests.onNext(chunk.build());
                        sent += length;
                    }
                    if (sent == image.length && !halfClosed) {
                        halfClosed = true;
                        requests.onCompleted();
                    }
                });
            }

            @Override
            public void onNext(ImageChunk chunk) {
                png.writeBytes(chunk.getData().toByteArray());
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(png.toByteArray());
            }
        });
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s ? s : Status.fromThrowable(e.getCause()).asRuntimeException();
        }
    }
}
