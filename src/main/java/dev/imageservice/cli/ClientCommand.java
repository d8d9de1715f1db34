package dev.imageservice.cli;

import ch.qos.logback.classic.Level;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.sourceforge.argparse4j.inf.Namespace;
import org.slf4j.LoggerFactory;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code client [--target host:port] INPUT OUTPUT}: sends an image to a running service over gRPC
 * and writes the processed PNG, the Java twin of the tutorial's Python client.
 */
public class ClientCommand extends Command {
    private static final int MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

    public ClientCommand() {
        super("client", "Send an image to a running image-service over gRPC and write the processed PNG");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--target").setDefault("localhost:50051")
                .help("host:port of the gRPC server (default: localhost:50051)");
        subparser.addArgument("--timeout").type(Integer.class).setDefault(60)
                .help("seconds to wait for the answer (default: 60)");
        subparser.addArgument("input").help("image file to send");
        subparser.addArgument("output").help("where to write the processed PNG");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        String target = namespace.getString("target");
        Path input = Path.of(namespace.getString("input"));
        Path output = Path.of(namespace.getString("output"));
        byte[] image = readInput(input);
        // gRPC logs failed name resolution with a stack trace; the one-line error below says it all.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.grpc")).setLevel(Level.OFF);

        ManagedChannel channel = NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
        try {
            long start = System.nanoTime();
            ImageResponse response = ImageServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(namespace.getInt("timeout"), TimeUnit.SECONDS)
                    .withMaxOutboundMessageSize(MAX_MESSAGE_BYTES)
                    .processImage(ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(image)).build());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (var out = Files.newOutputStream(output)) {
                response.getImageData().writeTo(out);
            } catch (IOException e) {
                throw new ClientException("cannot write " + output + ": " + e.getMessage());
            }
            System.out.printf("%s (%d bytes) -> %s (%d bytes) via %s in %d ms%n", input, image.length, output,
                    response.getImageData().size(), target, millis);
        } catch (StatusRuntimeException e) {
            throw new ClientException(describe(e.getStatus(), target));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static byte[] readInput(Path input) {
        try {
            return Files.readAllBytes(input);
        } catch (NoSuchFileException e) {
            throw new ClientException("cannot read " + input + ": no such file");
        } catch (IOException e) {
            throw new ClientException("cannot read " + input + ": " + e.getMessage());
        }
    }

    private static String describe(Status status, String target) {
        return switch (status.getCode()) {
            case UNAVAILABLE -> "cannot reach the image service at " + target + ": "
                    + (status.getCause() != null && status.getCause().getMessage() != null
                            ? status.getCause().getMessage() : status.getDescription());
            case DEADLINE_EXCEEDED -> "no answer from " + target + " within the timeout";
            default -> "the server refused the image: " + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription());
        };
    }

    /** Prints one clear line instead of a stack trace; the JVM then exits with status 1. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("error: " + (e instanceof ClientException ? e.getMessage() : String.valueOf(e)));
    }

    /** A failure with a message meant for the user as it is. */
    static final class ClientException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientException(String message) {
            super(message);
        }
    }
}
