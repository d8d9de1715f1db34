package dev.imageservice.cli;

import ch.qos.logback.classic.Level;
import com.google.protobuf.UnsafeByteOperations;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.format.FormatProbe;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
    /** Matches the server's default limits.maxInputSize, so unary calls work up to it both ways. */
    static final int DEFAULT_MAX_MESSAGE_MIB = 64;
    private static final int GRPC_DEFAULT_MAX_MESSAGE_BYTES = 4 << 20;

    public ClientCommand() {
        super("client", "Send an image to a running image-service over gRPC and write the processed PNG");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--target").setDefault("localhost:50051")
                .help("host:port of the gRPC server (default: localhost:50051); several as host:port,host:port"
                        + " or dns:///name:port are balanced with round_robin, UNAVAILABLE retried on another");
        subparser.addArgument("--timeout").type(Integer.class).setDefault(60)
                .help("seconds to wait for the answer (default: 60)");
        subparser.addArgument("--max-message-size").dest("maxMessageMib").type(Integer.class)
                .setDefault(DEFAULT_MAX_MESSAGE_MIB)
                .help("largest unary message in MiB, each way (default: " + DEFAULT_MAX_MESSAGE_MIB
                        + "); larger images go over the streaming rpc by themselves");
        subparser.addArgument("--stream").action(net.sourceforge.argparse4j.impl.Arguments.storeTrue())
                .help("always use the streaming rpc (ProcessImageStream), which works within gRPC's default 4 MiB limits");
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

        int maxMessageBytes = Math.toIntExact(Math.min(Integer.MAX_VALUE, namespace.getInt("maxMessageMib") * (1L << 20)));
        boolean stream = namespace.getBoolean("stream") || needsStreaming(image, maxMessageBytes);

        // One or several servers (host:port,host:port or dns:///name:port), round_robin, retries.
        ManagedChannel channel = GrpcChannels.forTarget(target)
                // Never below gRPC's default: streamed answers come in 1 MiB chunks plus framing.
                .maxInboundMessageSize(Math.max(maxMessageBytes, GRPC_DEFAULT_MAX_MESSAGE_BYTES))
                .build();
        try {
            long start = System.nanoTime();
            byte[] png;
            if (stream) {
                png = StreamingUpload.process(ImageServiceGrpc.newStub(channel)
                        .withDeadlineAfter(namespace.getInt("timeout"), TimeUnit.SECONDS), image);
            } else {
                png = ImageServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(namespace.getInt("timeout"), TimeUnit.SECONDS)
                        .withMaxOutboundMessageSize(maxMessageBytes)
                        .processImage(ImageRequest.newBuilder().setImageData(UnsafeByteOperations.unsafeWrap(image)).build())
                        .getImageData().toByteArray();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try {
                Files.write(output, png);
            } catch (IOException e) {
                throw new ClientException("cannot write " + output + ": " + e.getMessage());
            }
            System.out.printf("%s (%d bytes) -> %s (%d bytes) via %s%s in %d ms%n", input, image.length, output,
                    png.length, target, stream ? " (streaming)" : "", millis);
        } catch (StatusRuntimeException e) {
            throw new ClientException(describe(e.getStatus(), target));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Whether the image or its PNG could exceed the unary limit. The PNG's size is bounded by its
     * raw pixels (8 bytes a pixel covers 16-bit RGBA); the header gives the pixel count.
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
