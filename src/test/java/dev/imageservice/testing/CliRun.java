package dev.imageservice.testing;

import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Runs a command of the jar (client, bench, ...) through Dropwizard's CLI, as {@code java -jar} does. */
public final class CliRun {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    /** Runs the command; the failure it ended with, if any. */
    public Optional<Throwable> run(String... args) throws Exception {
        ImageServiceApplication application = new ImageServiceApplication();
        Bootstrap<ImageServiceConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        Cli cli = new Cli(new JarLocation(getClass()), bootstrap, out, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        PrintStream systemOut = System.out;
        System.setOut(out); // the commands print their summaries to System.out
        try {
            return cli.run(args);
        } finally {
            System.setOut(systemOut);
        }
    }

    public String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    public String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }
}
