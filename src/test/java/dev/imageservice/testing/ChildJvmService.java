package dev.imageservice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceApplication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service in a JVM of its own ({@code java ... server config.yml}, the shipped config, random
 * ports): for tests that need JVM options (a small heap or direct memory) or a real SIGTERM.
 */
public final class ChildJvmService implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready: HTTP port (\\d+), admin port (\\d+), gRPC port (\\d+)");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Process process;
    private final Thread outputReader;
    private final int httpPort;
    private final int adminPort;
    private final int grpcPort;

    /** Starts the service with these JVM options ({@code -Xmx...}, {@code -Ddw.limits...}) and waits until it is ready. */
    public ChildJvmService(String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ImageServiceApplication.class.getName(),
                "server", AppUnderTest.shippedConfig()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HTTP_PORT", "0");
        builder.environment().put("ADMIN_PORT", "0");
        builder.environment().put("GRPC_PORT", "0");
        builder.environment().put("LOG_LEVEL", "INFO");
        process = builder.start();
        outputReader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (java.io.IOException e) {
                output.add("(output ended: " + e + ")");
            }
        }, "service-output");
        outputReader.setDaemon(true);
        outputReader.start();
        Matcher[] ready = new Matcher[1];
        awaitTrue(() -> {
            assertThat(process.isAlive()).as("the service died: %s", String.join("\n", output)).isTrue();
            return output.stream().map(READY::matcher).filter(Matcher::find).findFirst().map(m -> ready[0] = m).isPresent();
        }, "the ready line", 60);
        httpPort = Integer.parseInt(ready[0].group(1));
        adminPort = Integer.parseInt(ready[0].group(2));
        grpcPort = Integer.parseInt(ready[0].group(3));
    }

    public int httpPort() {
        return httpPort;
    }

    /** A gauge of the admin port's {@code /metrics}, as a number. */
    public long gauge(String name) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + adminPort + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                    .path("gauges").path(name).path("value").asLong();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("could not read the admin metrics", e);
        }
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** What the service printed so far. */
    public List<String> output() {
        return output;
    }

    /** Prints what the service said, without DEBUG lines, so a failing test shows its side. */
    public void printOutput() {
        output().stream().filter(line -> !line.contains(" DEBUG ")).forEach(line -> System.out.println("service| " + line));
    }

    /** SIGTERM (not Process.destroy(), which would also close our end of the pipes). */
    public void terminate() {
        assertThat(process.toHandle().destroy()).isTrue();
    }

    /** Waits for the exit; the exit status, or -1 if it did not exit in time. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return -1;
        }
        outputReader.join(TimeUnit.SECONDS.toMillis(10)); // the last lines may still be in the pipe
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Polls until {@code condition} holds; the limit only keeps a broken build from hanging. */
    public static void awaitTrue(BooleanSupplier condition, String what, long seconds) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as("still waiting: " + what).isNegative();
            Thread.sleep(20);
        }
    }
}
