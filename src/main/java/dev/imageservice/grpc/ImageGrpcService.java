package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code image.ImageService} over gRPC: converts messages, delegates to the processor, maps errors. */
public final class ImageGrpcService extends ImageServiceGrpc.ImageServiceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ImageGrpcService.class);

    private final ImageProcessor processor;

    public ImageGrpcService(ImageProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    @Override
    public void processImage(ImageRequest request, StreamObserver<ImageResponse> responses) {
        long start = System.nanoTime();
        ByteString input = request.getImageData();
        ProcessedImage result;
        try {
            result = processor.process(input.toByteArray());
        } catch (ImageProcessingException e) {
            LOG.info("ProcessImage refused: in={} B: {}", input.size(), e.getMessage());
            responses.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            responses.onError(GrpcStatuses.internal(e).asRuntimeException());
            return;
        }
        // The processor hands over a fresh array it never touches again, so wrapping it is safe.
        responses.onNext(ImageResponse.newBuilder()
                .setImageData(UnsafeByteOperations.unsafeWrap(result.output()))
                .build());
        responses.onCompleted();
        if (LOG.isInfoEnabled()) {
            LOG.info("ProcessImage ok: in={} B out={} B image={} {} in {} ms", input.size(), result.output().length,
                    result.info(), result.inputFormat().displayName(), millis(System.nanoTime() - start));
        }
    }

    static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }
}
