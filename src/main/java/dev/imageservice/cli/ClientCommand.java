package dev.imageservice.cli;

import ch.qos.logback.classic.Level;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.processing.operation.OperationSyntax;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.slf4j.LoggerFactory;

/**
 * {@code client [options] INPUT OUTPUT}: sends an image to a running service over gRPC and writes
 * the answer, the Java twin of the tutorial's Python client. With one file, several files, a
 * directory or {@code --out-dir}, it processes them all, a few at a time, and writes each answer
 * beside its input as {@code NAME-processed.EXT}.
 */
public class ClientCommand extends Command {
    /** Matches the server's default limits.maxInputSize, so unary calls work up to it both ways. */
    static final int DEFAULT_MAX_MESSAGE_MIB = 64;
    private static final int GRPC_DEFAULT_MAX_MESSAGE_BYTES = 4 << 20;
    static final int DEFAULT_CONCURRENCY = 4;

    public ClientCommand() {
        super("client", "Send images to a running image-service over gRPC and write the processed results");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.description("INPUT OUTPUT processes one image into OUTPUT (the tutorial's client). "
                + "One file, more than two, a directory or --out-dir process them all, --concurrency at a time, "
                + "each answer written beside its input (or into --out-dir) as NAME" + BatchRun.SUFFIX + ".EXT.");
        subparser.addArgument("--target").setDefault("localhost:50051")
                .help("host:port of the gRPC server (default: localhost:50051); several as host:port,host:port"
                        + " or dns:///name:port are balanced with round_robin, UNAVAILABLE retried on another");
        subparser.addArgument("--timeout").type(Integer.class).setDefault(60)
                .help("seconds to wait for each answer (default: 60)");
        subparser.addArgument("--max-message-size").dest("maxMessageMib").type(Integer.class)
                .setDefault(DEFAULT_MAX_MESSAGE_MIB)
                .help("largest unary message in MiB, each way (default: " + DEFAULT_MAX_MESSAGE_MIB
                        + "); larger images go over the streaming rpc by themselves");
        subparser.addArgument("--stream").action(Arguments.storeTrue())
                .help("always use the streaming rpc (ProcessImageStream), which works within gRPC's default 4 MiB limits");
        ClientSecurity.configure(subparser);
        subparser.addArgument("--op").dest("ops").action(Arguments.append()).metavar("OP")
                .help("an operation, repeatable, applied in order: " + OperationSyntax.SUMMARY
                        + " (none: the channel swap)");
        subparser.addArgument("--format").setDefault("png").help("png (default), jpeg or webp");
        subparser.addArgument("--quality").type(Integer.class).setDefault(0)
                .help("1-100 for jpeg and webp (default: 0 = the server's default, 80)");
        subparser.addArgument("--concurrency").type(Integer.class).setDefault(DEFAULT_CONCURRENCY)
                .help("images in flight at once with several inputs (default: " + DEFAULT_CONCURRENCY + ")");
        subparser.addArgument("--out-dir").dest("outDir")
                .help("write the answers of several inputs here instead of beside each input");
        subparser.addArgument("paths").nargs("+").metavar("PATH")
                .help("INPUT OUTPUT, or images and directories of images");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        String target = namespace.getString("target");
        List<Path> paths = new ArrayList<>();
        for (Object path : namespace.getList("paths")) {
            paths.add(Path.of(path.toString()));
        }
        List<String> ops = namespace.getList("ops") == null ? List.of() : namespace.<String>getList("ops");
        ImageRequest options = ClientOptions.request(ops, namespace.getString("format"), namespace.getInt("quality"));
        String outDir = namespace.getString("outDir");
        boolean batch = outDir != null || paths.size() != 2 || Files.isDirectory(paths.get(0));
        int concurrency = namespace.getInt("concurrency");
        if (concurrency < 1) {
            throw new ClientException("--concurrency must be at least 1, not " + concurrency);
        }
        // gRPC logs failed name resolution with a stack trace; the one-line error says it all.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.grpc")).setLevel(Level.OFF);

        int maxMessageBytes = Math.toIntExact(Math.min(Integer.MAX_VALUE, namespace.getInt("maxMessageMib") * (1L << 20)));
        // One or several servers (host:port,host:port or dns:///name:port), round_robin, retries;
        // TLS and the API key as the options say.
        ManagedChannel channel = ClientSecurity.of(namespace).applyTo(GrpcChannels.forTarget(target))
                // Never below gRPC's default: streamed answers come in 1 MiB chunks plus framing.
                .maxInboundMessageSize(Math.max(maxMessageBytes, GRPC_DEFAULT_MAX_MESSAGE_BYTES))
                .build();
        ImageCall call = new ImageCall(channel, options, maxMessageBytes, namespace.getBoolean("stream"),
                namespace.getInt("timeout"));
        try {
            if (batch) {
                runBatch(call, target, options, paths, outDir, concurrency);
            } else {
                runOne(call, target, paths.get(0), paths.get(1));
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void runOne(ImageCall call, String target, Path input, Path output) throws InterruptedException {
        byte[] image = readInput(input);
        long start = System.nanoTime();
        byte[] answer;
        try {
            answer = call.process(image);
        } catch (StatusRuntimeException e) {
            throw new ClientException(ImageCall.describe(e.getStatus(), target));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        try {
            Files.write(output, answer);
        } catch (IOException e) {
            throw new ClientException("cannot write " + output + ": " + e.getMessage());
        }
        System.out.printf("%s (%d bytes) -> %s (%d bytes) via %s%s in %d ms%n", input, image.length, output,
                answer.length, target, call.streams(image) ? " (streaming)" : "", millis);
    }

    private static void runBatch(ImageCall call, String target, ImageRequest options, List<Path> paths, String outDir,
            int concurrency) throws InterruptedException {
        Path outputDirectory = outDir == null ? null : Path.of(outDir);
        if (outputDirectory != null && !Files.isDirectory(outputDirectory)) {
            throw new ClientException("--out-dir " + outDir + " is not a directory");
        }
        List<Path> inputs = BatchRun.inputs(paths);
        if (inputs.isEmpty()) {
            throw new ClientException("no images found in " + paths);
        }
        int failed = new BatchRun(call, target, ClientOptions.extension(options), outputDirectory, concurrency,
                System.out, System.console() != null).run(inputs);
        if (failed > 0) {
            throw new ClientException(failed + " of " + inputs.size() + " images failed");
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
