package dev.imageservice.cli;

import dev.imageservice.cli.bench.Bench;
import dev.imageservice.cli.bench.BenchImage;
import dev.imageservice.cli.bench.BenchOptions;
import dev.imageservice.cli.bench.BenchReport;
import dev.imageservice.cli.bench.BenchTarget;
import dev.imageservice.cli.bench.HttpRequestSender;
import dev.imageservice.cli.bench.LoadSettings;
import dev.imageservice.cli.bench.ReportPrinter;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code bench --target grpc://host:port|http://host:port [options] IMAGE...}: a load generator for
 * machines without k6. Prints requests, req/s, latency percentiles, bytes/s and outcomes by status;
 * exits with status 1 if any request failed.
 */
public class BenchCommand extends Command {

    public BenchCommand() {
        super("bench", "Load-test a running image-service over gRPC or HTTP and report throughput and latency");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--target").setDefault("grpc://localhost:50051")
                .help("grpc://host:port or http://host:port[/path]; HTTP posts to "
                        + BenchTarget.DEFAULT_HTTP_PATH + " unless a path is given; several gRPC servers as"
                        + " grpc://host:port,host:port or dns:///name:port, balanced with round_robin");
        subparser.addArgument("--concurrency").type(Integer.class).setDefault(16)
                .help("simulated clients, each with one request in flight");
        subparser.addArgument("--duration").setDefault("10s")
                .help("how long all clients keep sending after the ramp, e.g. 10s, 1500ms");
        subparser.addArgument("--ramp").setDefault("0s")
                .help("time over which the clients start, evenly spaced (0s: all at once)");
        subparser.addArgument("--timeout").setDefault("60s")
                .help("deadline of each request");
        subparser.addArgument("--new-connection-per-request").action(Arguments.storeTrue())
                .help("open a new connection for every request and close it after (as the tutorial's k6 test)");
        subparser.addArgument("--connections").type(Integer.class).setDefault(1)
                .help("gRPC only: connections shared by the clients when they are kept");
        subparser.addArgument("--no-retry").action(Arguments.storeTrue())
                .help("gRPC only: do not retry calls that failed UNAVAILABLE (the shipped service config retries"
                        + " them on another server)");
        subparser.addArgument("--no-verify").action(Arguments.storeTrue())
                .help("do not verify the answers' pixels (by default each image's first answer, sent before the"
                        + " load, must be its exact channel swap, and every answer of the load must equal it)");
        subparser.addArgument("--http-body").choices("multipart", "raw").setDefault("multipart")
                .help("HTTP only: multipart/form-data with part 'image', or the raw image as the body");
        subparser.addArgument("--server-pid").type(Long.class)
                .help("Linux: also report this server process's CPU ms per request and peak RSS, from /proc");
        ClientSecurity.configure(subparser);
        subparser.addArgument("--json").action(Arguments.storeTrue())
                .help("print the report as JSON");
        subparser.addArgument("images").nargs("+").metavar("IMAGE")
                .help("image files to send, in turn");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        BenchOptions options = options(namespace);
        BenchReport report = Bench.run(options);
        ReportPrinter printer = new ReportPrinter(bootstrap.getObjectMapper());
        System.out.println(namespace.getBoolean("json") ? printer.json(report) : printer.text(report));
        if (report.failed() > 0 || report.requests() == 0) {
            throw new BenchException(report.requests() == 0 ? "no request completed"
                    : report.failed() + " of " + report.requests() + " requests failed");
        }
    }

    /** Turns parsed arguments into options; an IllegalArgumentException's message is for the user. */
    static BenchOptions options(Namespace namespace) {
        List<BenchImage> images = namespace.<String>getList("images").stream()
                .map(Path::of).map(BenchImage::load).toList();
        LoadSettings load = new LoadSettings(namespace.getInt("concurrency"),
                duration(namespace.getString("ramp"), "--ramp"),
                duration(namespace.getString("duration"), "--duration"),
                duration(namespace.getString("timeout"), "--timeout"));
        return new BenchOptions(BenchTarget.parse(namespace.getString("target")), images, load,
                namespace.getBoolean("new_connection_per_request"), namespace.getInt("connections"),
                HttpRequestSender.BodyKind.valueOf(namespace.getString("http_body").toUpperCase(Locale.ROOT)),
                namespace.getLong("server_pid"), !namespace.getBoolean("no_retry"), ClientSecurity.of(namespace),
                !namespace.getBoolean("no_verify"));
    }

    static java.time.Duration duration(String text, String option) {
        try {
            return java.time.Duration.ofNanos(io.dropwizard.util.Duration.parse(text).toNanoseconds());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": not a duration: " + text + " (try 10s, 1500ms, 1m)");
        }
    }

    /** One line instead of a stack trace for the user's mistakes and for failed requests. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        boolean forUser = e instanceof BenchException || e instanceof IllegalArgumentException;
        cli.getStdErr().println("error: " + (forUser ? e.getMessage() : String.valueOf(e)));
        if (!forUser) {
            e.printStackTrace(cli.getStdErr());
        }
    }

    /** The run finished but is not a success. */
    static final class BenchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchException(String message) {
            super(message);
        }
    }
}
