package dev.imageservice.cli;

import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.format.FormatProbe;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;

/**
 * One image sent to the service over a shared channel: unary when it and its answer fit the
 * message limit, streamed otherwise (or always, when asked).
 */
final class ImageCall {
    private final ManagedChannel channel;
    private final ImageRequest options;
    private final int maxMessageBytes;
    private final boolean alwaysStream;
    private final long timeoutSeconds;

    ImageCall(ManagedChannel channel, ImageRequest options, int maxMessageBytes, boolean alwaysStream, long timeoutSeconds) {
        this.channel = channel;
        this.options = options;
        this.maxMessageBytes = maxMessageBytes;
        this.alwaysStream = alwaysStream;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Whether {@code image} goes over the streaming rpc. */
    boolean streams(byte[] image) {
        return alwaysStream || needsStreaming(image, maxMessageBytes);
    }

    /**
     * The processed image.
     *
     * @throws io.grpc.StatusRuntimeException with the server's status when it refuses the image
     */
    byte[] process(byte[] image) throws InterruptedException {
        if (streams(image)) {
            return StreamingUpload.process(ImageServiceGrpc.newStub(channel)
                    .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS), image, options);
        }
        return ImageServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                .withMaxOutboundMessageSize(maxMessageBytes)
                .processImage(options.toBuilder().setImageData(UnsafeByteOperations.unsafeWrap(image)).build())
                .getImageData().toByteArray();
    }

    /**
     * Whether the image or its answer could exceed the unary limit. The answer's size is bounded
     * by the raw pixels (8 bytes a pixel covers 16-bit RGBA); the header gives the pixel count.
     */
    static boolean needsStreaming(byte[] image, long maxMessageBytes) {
        if (image.length > maxMessageBytes) {
            return true;
        }
        try {
            return FormatProbe.probe(image).pixels() * 8 > maxMessageBytes;
        } catch (RuntimeException e) {
            return false; // not an image we can read the header of: let the server say what it is
        }
    }

    /** A status in one line for a person. */
    static String describe(Status status, String target) {
        return switch (status.getCode()) {
            case UNAVAILABLE -> "cannot reach the image service at " + target + ": "
                    + (status.getCause() != null && status.getCause().getMessage() != null
                            ? status.getCause().getMessage() : status.getDescription());
            case DEADLINE_EXCEEDED -> "no answer from " + target + " within the timeout";
            default -> "the server refused the image: " + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription());
        };
    }
}
