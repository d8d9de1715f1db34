package dev.imageservice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Channels of the {@code client} and {@code bench} commands to one or several servers, balanced per
 * call with {@code round_robin}, with the shipped service config ({@value #SERVICE_CONFIG}): calls
 * that fail with UNAVAILABLE (the server was stopping, or died) are retried on another server
 * within a bounded budget; processing an image twice is harmless.
 *
 * <p>A target is {@code host:port}, several of them separated by commas (each connected to, calls
 * spread over all), or any gRPC target URI such as {@code dns:///name:port}, whose addresses
 * (a Kubernetes headless Service's pods) are all connected to and re-resolved when one fails.
 */
public final class GrpcChannels {
    /** The service config on the class path; docs/SCALING.md shows it for other languages. */
    public static final String SERVICE_CONFIG = "/grpc/service-config.json";

    /** Requests up to this size are kept to be retried (gRPC's default, 1 MiB, is below a 12 MP JPEG). */
    static final long PER_CALL_RETRY_BUFFER = 64L << 20;
    /** All calls of a channel together keep at most this much for retries. */
    static final long CHANNEL_RETRY_BUFFER = 512L << 20;

    private static final String STATIC_SCHEME = "static";

    private GrpcChannels() {
    }

    /** A plaintext channel builder for {@code target}, balanced and retrying as described above. */
    public static NettyChannelBuilder forTarget(String target) {
        return forTarget(target, true);
    }

    /**
     * The same; without {@code retries} a failed call fails at once (the service config's retry
     * policy is dropped; balancing stays).
     */
    @SuppressWarnings("deprecation") // nameResolverFactory: the way to give one channel its own resolver
    public static NettyChannelBuilder forTarget(String target, boolean retries) {
        NettyChannelBuilder builder;
        String trimmed = target.trim();
        if (trimmed.contains("://") || trimmed.startsWith("dns:")) {
            builder = NettyChannelBuilder.forTarget(trimmed);
        } else {
            List<InetSocketAddress> addresses = addresses(trimmed);
            builder = NettyChannelBuilder.forTarget(STATIC_SCHEME + ":///" + trimmed)
                    .nameResolverFactory(new StaticResolverFactory(addresses, trimmed));
        }
        builder.usePlaintext().defaultServiceConfig(serviceConfig());
        return retries
                ? builder.enableRetry().perRpcBufferLimit(PER_CALL_RETRY_BUFFER).retryBufferSize(CHANNEL_RETRY_BUFFER)
                : builder.disableRetry();
    }

    /** {@code host:port[,host:port...]} as socket addresses (resolved once, here). */
    static List<InetSocketAddress> addresses(String list) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String part : list.split(",")) {
            String hostPort = part.trim();
            URI uri = URI.create("//" + hostPort);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("not host:port: '" + hostPort + "' in target " + list);
            }
            addresses.add(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
        return addresses;
    }

    /** The shipped service config as gRPC wants it: JSON numbers as doubles. */
    public static Map<String, ?> serviceConfig() {
        try (InputStream in = GrpcChannels.class.getResourceAsStream(SERVICE_CONFIG)) {
            if (in == null) {
                throw new IllegalStateException(SERVICE_CONFIG + " is missing from the class path");
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> config = (Map<String, ?>) doubles(new ObjectMapper().readValue(in, Map.class));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SERVICE_CONFIG, e);
        }
    }

    private static Object doubles(Object json) {
        if (json instanceof Number number) {
            return number.doubleValue();
        }
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(String.valueOf(key), doubles(value)));
            return copy;
        }
        if (json instanceof List<?> list) {
            return list.stream().map(GrpcChannels::doubles).toList();
        }
        return json;
    }

    /** Resolves {@code static:///...} to the fixed list of addresses it was made with. */
    private static final class StaticResolverFactory extends NameResolver.Factory {
        private final List<EquivalentAddressGroup> groups;
        private final String authority;

        StaticResolverFactory(List<InetSocketAddress> addresses, String list) {
            this.groups = addresses.stream().map(EquivalentAddressGroup::new).toList();
            // One authority for all: the first address, as a single-server target would send.
            this.authority = list.split(",")[0].trim();
        }

        @Override
        public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            if (!STATIC_SCHEME.equals(targetUri.getScheme())) {
                return null;
            }
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return authority;
                }

                @Override
                public void start(Listener2 listener) {
                    listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
                }

                @Override
                public void shutdown() {
                    // nothing held
                }
            };
        }

        @Override
        public String getDefaultScheme() {
            return STATIC_SCHEME;
        }
    }
}
