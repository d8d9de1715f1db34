package dev.imageservice.grpc;

import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.Operation;
import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.OutputFormat;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.operation.AutoOrient;
import dev.imageservice.processing.operation.Crop;
import dev.imageservice.processing.operation.Flip;
import dev.imageservice.processing.operation.Grayscale;
import dev.imageservice.processing.operation.Resize;
import dev.imageservice.processing.operation.Rotate;
import dev.imageservice.processing.operation.SwapChannels;
import java.util.ArrayList;
import java.util.List;

/**
 * The processing options of a request message: {@code operations}, {@code format}, {@code quality}
 * (of an {@link ImageRequest}, or of the first {@link ImageChunk} of a stream). Bad values are
 * refused as INVALID_OPTIONS (INVALID_ARGUMENT) with a message naming the field, e.g.
 * {@code operations[1].rotate.degrees}.
 */
final class ProtoOptions {

    private ProtoOptions() {
    }

    static ProcessingOptions of(ImageRequest request) {
        return of(request.getOperationsList(), request.getFormatValue(), request.getQuality());
    }

    /** The options of a stream's first chunk; the defaults when the stream sent no chunk. */
    static ProcessingOptions of(ImageChunk first) {
        return first == null ? ProcessingOptions.DEFAULT
                : of(first.getOperationsList(), first.getFormatValue(), first.getQuality());
    }

    /** The options of a chunk without its data, to keep while the rest of the image arrives. */
    static ImageChunk optionsOf(ImageChunk chunk) {
        return chunk.toBuilder().clearData().build();
    }

    private static ProcessingOptions of(List<Operation> messages, int formatValue, int quality) {
        if (messages.size() > ProcessingOptions.MAX_OPERATIONS) {
            throw ImageProcessingException.invalidOptions("operations: " + messages.size()
                    + " operations; at most " + ProcessingOptions.MAX_OPERATIONS + " are allowed");
        }
        List<ImageOperation> operations = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            operations.add(operation(messages.get(i), "operations[" + i + "]"));
        }
        dev.imageservice.grpc.proto.OutputFormat format = dev.imageservice.grpc.proto.OutputFormat.forNumber(formatValue);
        if (format == null) {
            throw ImageProcessingException.invalidOptions("format: unknown output format " + formatValue
                    + "; use PNG, JPEG or WEBP");
        }
        return new ProcessingOptions(operations, OutputFormat.valueOf(format.name()), quality);
    }

    private static ImageOperation operation(Operation message, String field) {
        try {
            return switch (message.getOpCase()) {
                case SWAP_CHANNELS -> new SwapChannels();
                case GRAYSCALE -> new Grayscale();
                case AUTO_ORIENT -> new AutoOrient();
                case ROTATE -> new Rotate(message.getRotate().getDegrees());
                case FLIP -> new Flip(message.getFlip().getHorizontal(), message.getFlip().getVertical());
                case CROP -> new Crop(message.getCrop().getX(), message.getCrop().getY(), message.getCrop().getWidth(),
                        message.getCrop().getHeight());
                case RESIZE -> new Resize(message.getResize().getWidth(), message.getResize().getHeight(),
                        fit(message.getResize(), field));
                case OP_NOT_SET -> throw ImageProcessingException.invalidOptions(field
                        + ": no operation set (an operation this server does not know?)");
            };
        } catch (IllegalArgumentException e) {
            String name = message.getOpCase().name().toLowerCase(java.util.Locale.ROOT);
            throw ImageProcessingException.invalidOptions(field + "." + name + ": " + e.getMessage());
        }
    }

    private static Resize.Fit fit(dev.imageservice.grpc.proto.Resize resize, String field) {
        return switch (resize.getFit()) {
            case CONTAIN -> Resize.Fit.CONTAIN;
            case COVER -> Resize.Fit.COVER;
            case FILL -> Resize.Fit.FILL;
            case UNRECOGNIZED -> throw ImageProcessingException.invalidOptions(field + ".resize.fit: unknown fit "
                    + resize.getFitValue() + "; use CONTAIN, COVER or FILL");
        };
    }
}
