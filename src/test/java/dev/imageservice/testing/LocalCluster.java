package dev.imageservice.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/local-cluster.sh} driven from a test: replicas of the built jar behind Debian's
 * HAProxy, on free ports, with their state (pid files, logs, haproxy.cfg) in a directory of its own.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Path SCRIPT = Path.of("scripts", "local-cluster.sh").toAbsolutePath();

    public final int grpcPort;
    public final int httpPort;
    public final int statsPort;
    public final int replicaBasePort;
    public final Path dir;
    private final Path jar;
    private final Map<String, String> extraEnv;

    private LocalCluster(Path jar, Path dir, int replicas, Map<String, String> extraEnv) throws IOException {
        this.jar = jar;
        this.dir = dir;
        this.extraEnv = extraEnv;
        int[] front = freePorts(3);
        grpcPort = front[0];
        httpPort = front[1];
        statsPort = front[2];
        replicaBasePort = freeBlock(3 * replicas);
    }

    /** The jar the build packaged (failsafe passes its path; by hand it is target/image-service.jar). */
    public static Path builtJar() {
        Path jar = Path.of(System.getProperty("image-service.jar", "target/image-service.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no jar at " + jar + ": run ./mvnw -B verify (the package phase builds it)");
        }
        return jar;
    }

    /** Runs {@code local-cluster.sh up replicas}; returns once every replica is in HAProxy's rotation. */
    public static LocalCluster up(int replicas, Map<String, String> env) throws Exception {
        Path dir = Path.of("target", "local-cluster-test-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime())).toAbsolutePath();
        Files.createDirectories(dir);
        LocalCluster cluster = new LocalCluster(builtJar(), dir, replicas, env);
        try {
            cluster.run(Duration.ofMinutes(5), "up", String.valueOf(replicas));
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Runs the script with {@code args}; its output, or an exception with the output if it failed. */
    public String run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("script.out").toFile());
        Map<String, String> env = builder.environment();
        env.put("FRONT_GRPC_PORT", String.valueOf(grpcPort));
        env.put("FRONT_HTTP_PORT", String.valueOf(httpPort));
        env.put("STATS_PORT", String.valueOf(statsPort));
        env.put("REPLICA_BASE_PORT", String.valueOf(replicaBasePort));
        env.put("CLUSTER_DIR", dir.toString());
        env.put("JAR", jar.toString());
        env.put("CONFIG", AppUnderTest.shippedConfig());
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC");
        env.putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("local-cluster.sh " + String.join(" ", args) + " did not finish in "
                    + timeout + ":\n" + output());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("local-cluster.sh " + String.join(" ", args) + " failed ("
                    + process.exitValue() + "):\n" + output());
        }
        return output();
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("script.out"), StandardCharsets.UTF_8);
    }

    /** The pid of replica {@code name} (r1, r2, ...), from the script's pid file. */
    public long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(name + ".pid")).trim());
    }

    public String log(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    public int replicaAdminPort(int index) {
        return replicaBasePort + 3 * (index - 1) + 1;
    }

    /**
     * HAProxy's stats CSV as rows keyed "backend/server" with the columns by name (status, stot,
     * ...); "stot" is the number of requests (HTTP) or streams (h2) the server was given.
     */
    public Map<String, Map<String, String>> stats() throws IOException, InterruptedException {
        String csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).timeout(Duration.ofSeconds(10)).build(),
                BodyHandlers.ofString()).body();
        String[] lines = csv.split("\n");
        String[] header = lines[0].replaceFirst("^# ", "").split(",", -1);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < Math.min(header.length, cells.length); c++) {
                row.put(header[c], cells[c]);
            }
            rows.put(cells[0] + "/" + cells[1], row);
        }
        return rows;
    }

    /** {@code local-cluster.sh down}: HAProxy and every replica stop. */
    @Override
    public void close() throws Exception {
        run(Duration.ofMinutes(2), "down");
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The first of {@code count} consecutive ports that are free now (the script needs a block). */
    private static int freeBlock(int count) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000 - count);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IOException("no block of " + count + " free ports");
    }

    private static boolean allFree(int base, int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int port = base; port < base + count; port++) {
                sockets.add(new ServerSocket(port, 1));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }
}
