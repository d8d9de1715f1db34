package dev.imageservice.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shaded jar run as an operator runs it, {@code java -jar target/image-service.jar server
 * config.yml}, on free ports, with its console output collected line by line.
 */
public final class ServiceProcess {
    private static final Pattern READY = Pattern.compile("ready: HTTP port (\\d+), admin port (\\d+), gRPC port (\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private int httpPort;
    private int adminPort;
    private int grpcPort;

    private ServiceProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "service-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar with the shipped config.yml and {@code env} added, and waits until it is ready. */
    public static ServiceProcess startJar(Map<String, String> env) throws InterruptedException {
        Path jar = Path.of("target", "image-service.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: this test runs after package (./mvnw verify)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "server",
                AppUnderTest.shippedConfig()).redirectErrorStream(true);
        builder.environment().put("HTTP_PORT", "0");
        builder.environment().put("ADMIN_PORT", "0");
        builder.environment().put("GRPC_PORT", "0");
        builder.environment().put("LOG_LEVEL", "INFO");
        builder.environment().putAll(env);
        ServiceProcess service;
        try {
            service = new ServiceProcess(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + java, e);
        }
        String ready = service.awaitLine(line -> READY.matcher(line).find(), Duration.ofSeconds(60));
        Matcher ports = READY.matcher(ready);
        ports.find();
        service.httpPort = Integer.parseInt(ports.group(1));
        service.adminPort = Integer.parseInt(ports.group(2));
        service.grpcPort = Integer.parseInt(ports.group(3));
        return service;
    }

    /** The first output line that {@code matches}, waiting for it at most {@code timeout}. */
    public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (String line : output) {
                if (matches.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && output.stream().noneMatch(matches)) {
                Thread.sleep(200); // let the reader drain what is left
                if (output.stream().noneMatch(matches)) {
                    throw new AssertionError("the service exited (" + process.exitValue() + "):\n"
                            + String.join("\n", output));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such line within " + timeout + ":\n" + String.join("\n", output));
    }

    public int httpPort() {
        return httpPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    /** SIGTERM, then the exit status (the service drains and exits 0). */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("the service did not stop within " + timeout);
        }
        Thread.sleep(200); // the last lines
        return process.exitValue();
    }

    public void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
