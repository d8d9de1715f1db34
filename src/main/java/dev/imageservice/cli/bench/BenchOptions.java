package dev.imageservice.cli.bench;

import dev.imageservice.cli.ClientSecurity;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a load run needs, as given on the command line.
 *
 * @param connections gRPC channels shared by the clients when connections are kept
 * @param serverPid   the server process to read CPU and memory of, or null
 * @param grpcRetries gRPC: retry UNAVAILABLE calls on another server (the shipped service config)
 * @param security    TLS and API key (null: plaintext, no key)
 * @param verify      check each image's first answer pixel by pixel before the load, then every
 *                    answer against it by digest ({@link ExpectedAnswers})
 */
public record BenchOptions(BenchTarget target, List<BenchImage> images, LoadSettings load,
                           boolean newConnectionPerRequest, int connections,
                           HttpRequestSender.BodyKind httpBody, Long serverPid, boolean grpcRetries,
                           ClientSecurity security, boolean verify) {

    /** With gRPC retries, as the shipped service config has them; plaintext, no API key. */
    public BenchOptions(BenchTarget target, List<BenchImage> images, LoadSettings load,
                        boolean newConnectionPerRequest, int connections,
                        HttpRequestSender.BodyKind httpBody, Long serverPid) {
        this(target, images, load, newConnectionPerRequest, connections, httpBody, serverPid, true, ClientSecurity.NONE, true);
    }

    /** Answers verified. */
    public BenchOptions(BenchTarget target, List<BenchImage> images, LoadSettings load,
                        boolean newConnectionPerRequest, int connections,
                        HttpRequestSender.BodyKind httpBody, Long serverPid, boolean grpcRetries,
                        ClientSecurity security) {
        this(target, images, load, newConnectionPerRequest, connections, httpBody, serverPid, grpcRetries, security, true);
    }

    /** Plaintext, no API key. */
    public BenchOptions(BenchTarget target, List<BenchImage> images, LoadSettings load,
                        boolean newConnectionPerRequest, int connections,
                        HttpRequestSender.BodyKind httpBody, Long serverPid, boolean grpcRetries) {
        this(target, images, load, newConnectionPerRequest, connections, httpBody, serverPid, grpcRetries, ClientSecurity.NONE, true);
    }

    public BenchOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(httpBody, "httpBody");
        security = security == null ? ClientSecurity.NONE : security;
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("give at least one image to send");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, not " + connections);
        }
    }

    /** A gRPC or HTTP run with keep-alive connections and no server process to watch. */
    public static BenchOptions of(BenchTarget target, List<BenchImage> images, int concurrency, Duration duration) {
        return new BenchOptions(target, images, new LoadSettings(concurrency, Duration.ZERO, duration, Duration.ofSeconds(60)),
                false, 1, HttpRequestSender.BodyKind.MULTIPART, null, true, ClientSecurity.NONE);
    }
}
