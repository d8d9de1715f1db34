package dev.imageservice.cli.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the load goes: {@code grpc://host:port} or {@code http://host:port[/path]}. An HTTP target
 * without a path posts to {@value #DEFAULT_HTTP_PATH}. Several gRPC servers are
 * {@code grpc://host:port,host:port,...} or {@code dns:///name:port}: calls are spread over all with
 * round_robin and UNAVAILABLE is retried on another ({@link dev.imageservice.cli.GrpcChannels}).
 *
 * @param channelTarget gRPC only: the target of the channel ({@code host:port[,host:port...]} or a
 *                      {@code dns:///} URI); host and port are its first server
 */
public record BenchTarget(Transport transport, String host, int port, String path, String channelTarget) {

    /** The HTTP endpoint of the service that processes one image. */
    public static final String DEFAULT_HTTP_PATH = "/api/v1/process";

    /** The protocol spoken to the target. */
    public enum Transport { GRPC, HTTP }

    /** Parses a target as given on the command line; the message of the exception is for the user. */
    public static BenchTarget parse(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("dns:")) {
            URI dns = URI.create(trimmed.replaceFirst("^dns:(//[^/]*)?/", "dns://"));
            if (dns.getHost() == null || dns.getPort() < 0) {
                throw new IllegalArgumentException("target " + text + ": expected dns:///name:port");
            }
            return new BenchTarget(Transport.GRPC, dns.getHost(), dns.getPort(), "", trimmed);
        }
        if (trimmed.toLowerCase(Locale.ROOT).startsWith("grpc://") && trimmed.contains(",")) {
            String list = trimmed.substring("grpc://".length()).replace(" ", "");
            for (String one : list.split(",")) {
                parse("grpc://" + one.trim()); // the message names the bad one
            }
            BenchTarget first = parse("grpc://" + list.split(",")[0].trim());
            return new BenchTarget(Transport.GRPC, first.host(), first.port(), "", list);
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid target: " + text + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("target " + text + " has no host; expected grpc://host:port or http://host:port");
        }
        return switch (scheme) {
            case "grpc" -> {
                if (uri.getPort() < 0) {
                    throw new IllegalArgumentException("target " + text + " has no port; expected grpc://host:port");
                }
                if (!uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
                    throw new IllegalArgumentException("a gRPC target takes no path: " + text);
                }
                yield new BenchTarget(Transport.GRPC, uri.getHost(), uri.getPort(), "",
                        uri.getRawAuthority());
            }
            case "http" -> {
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
                        ? DEFAULT_HTTP_PATH : uri.getRawPath();
                yield new BenchTarget(Transport.HTTP, uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), path, "");
            }
            default -> throw new IllegalArgumentException("unsupported target scheme in " + text
                    + "; expected grpc://host:port or http://host:port");
        };
    }

    /** The URI that an HTTP request goes to. */
    public URI httpUri() {
        return httpUri(false);
    }

    /** The URI that an HTTP request goes to, https when {@code tls}. */
    public URI httpUri(boolean tls) {
        return URI.create((tls ? "https://" : "http://") + hostForUri() + ":" + port + path);
    }

    @Override
    public String toString() {
        if (transport == Transport.GRPC && channelTarget.startsWith("dns:")) {
            return channelTarget;
        }
        return transport == Transport.GRPC
                ? "grpc://" + channelTarget
                : "http://" + hostForUri() + ":" + port + path;
    }

    private String hostForUri() {
        // URI.getHost() keeps the brackets of an IPv6 literal; a bare IPv6 address needs them back.
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
