package dev.imageservice.cli;

import dev.imageservice.grpc.proto.AutoOrient;
import dev.imageservice.grpc.proto.Crop;
import dev.imageservice.grpc.proto.Flip;
import dev.imageservice.grpc.proto.Grayscale;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.Operation;
import dev.imageservice.grpc.proto.OutputFormat;
import dev.imageservice.grpc.proto.Resize;
import dev.imageservice.grpc.proto.Rotate;
import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.operation.OperationSyntax;
import dev.imageservice.processing.operation.SwapChannels;
import java.util.List;
import java.util.Locale;

/**
 * The client's {@code --op}, {@code --format} and {@code --quality}, in the HTTP API's text form,
 * turned into the request fields of the gRPC contract (an {@link ImageRequest} without image data).
 */
final class ClientOptions {

    private ClientOptions() {
    }

    /**
     * @throws ClientCommand.ClientException naming the option that is wrong
     */
    static ImageRequest request(List<String> operations, String format, int quality) {
        ImageRequest.Builder request = ImageRequest.newBuilder();
        for (String text : operations) {
            ImageOperation operation;
            try {
                operation = OperationSyntax.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ClientCommand.ClientException("--op " + text + ": " + e.getMessage());
            }
            request.addOperations(proto(operation));
        }
        request.setFormat(format(format));
        if (quality < 0 || quality > 100) {
            throw new ClientCommand.ClientException("--quality must be 1-100 (0 for the default), not " + quality);
        }
        return request.setQuality(quality).build();
    }

    /** The file extension of answers in the requested format. */
    static String extension(ImageRequest request) {
        return switch (request.getFormat()) {
            case JPEG -> "jpg";
            case WEBP -> "webp";
            default -> "png";
        };
    }

    private static OutputFormat format(String text) {
        String key = text == null ? "png" : text.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "png" -> OutputFormat.PNG;
            case "jpeg", "jpg" -> OutputFormat.JPEG;
            case "webp" -> OutputFormat.WEBP;
            default -> throw new ClientCommand.ClientException("--format must be png, jpeg or webp, not " + text);
        };
    }

    static Operation proto(ImageOperation operation) {
        Operation.Builder message = Operation.newBuilder();
        if (operation instanceof SwapChannels) {
            message.setSwapChannels(dev.imageservice.grpc.proto.SwapChannels.getDefaultInstance());
        } else if (operation instanceof dev.imageservice.processing.operation.Grayscale) {
            message.setGrayscale(Grayscale.getDefaultInstance());
        } else if (operation instanceof dev.imageservice.processing.operation.AutoOrient) {
            message.setAutoOrient(AutoOrient.getDefaultInstance());
        } else if (operation instanceof dev.imageservice.processing.operation.Rotate r) {
            message.setRotate(Rotate.newBuilder().setDegrees(r.degrees()));
        } else if (operation instanceof dev.imageservice.processing.operation.Flip f) {
            message.setFlip(Flip.newBuilder().setHorizontal(f.horizontal()).setVertical(f.vertical()));
        } else if (operation instanceof dev.imageservice.processing.operation.Crop c) {
            message.setCrop(Crop.newBuilder().setX(c.x()).setY(c.y()).setWidth(c.width()).setHeight(c.height()));
        } else if (operation instanceof dev.imageservice.processing.operation.Resize r) {
            message.setResize(Resize.newBuilder().setWidth(r.width()).setHeight(r.height())
                    .setFit(Resize.Fit.valueOf(r.fit().name())));
        } else {
            throw new IllegalArgumentException("no message for " + operation);
        }
        return message.build();
    }
}
