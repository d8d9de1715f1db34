package dev.imageservice.grpc;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import dev.imageservice.processing.Limits;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContext;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;

/** The {@code grpc:} section of config.yml: where and how the gRPC server runs. */
public class GrpcServerFactory {

    /** TCP port of the gRPC server; 0 picks a free port (for tests). */
    @Min(0)
    @Max(65535)
    private int port = 50051;

    /** Address to bind; 0.0.0.0 listens on every interface. */
    @NotEmpty
    private String bindHost = "0.0.0.0";

    /**
     * Threads that run the image calls' callbacks: parsing a message, starting its work, writing an
     * answer. No call holds one while it waits for admission or is processed (the processor's
     * workers do the image work), so a few are enough: 0 (the default) means 4 per core, at least 8.
     * Health and reflection calls run on two threads of their own, so probes are answered however
     * busy the image calls are.
     */
    @Min(0)
    @Max(1024)
    private int executorThreads = 0;

    /**
     * On shutdown, how long calls in flight may take to finish, their answers written to the last
     * byte, before they are cancelled. Answers that the memory budget lets wait for slow readers
     * (up to its work share, 224 MiB by default) may need several seconds to be written at the
     * rates measured under load (16-25 MB/s on two shared cores): 20 s leaves room for them.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration shutdownGracePeriod = Duration.seconds(20);

    /**
     * A streaming call whose client sends no chunk for this long is ended with DEADLINE_EXCEEDED; a
     * call whose client reads none of its answer for this long (streaming), or has not read all of
     * its unary answer this long after it was ready, is reset (the client sees CANCELLED). So a
     * stalled client cannot hold memory (counted against limits.memoryBudget) forever.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration streamIdleTimeout = Duration.seconds(30);

    @JsonProperty
    public Duration getStreamIdleTimeout() {
        return streamIdleTimeout;
    }

    @JsonProperty
    public void setStreamIdleTimeout(Duration streamIdleTimeout) {
        this.streamIdleTimeout = streamIdleTimeout;
    }

    @JsonProperty
    public int getPort() {
        return port;
    }

    @JsonProperty
    public void setPort(int port) {
        this.port = port;
    }

    @JsonProperty
    public String getBindHost() {
        return bindHost;
    }

    @JsonProperty
    public void setBindHost(String bindHost) {
        this.bindHost = bindHost;
    }

    @JsonProperty
    public int getExecutorThreads() {
        return executorThreads;
    }

    @JsonProperty
    public void setExecutorThreads(int executorThreads) {
        this.executorThreads = executorThreads;
    }

    @JsonProperty
    public Duration getShutdownGracePeriod() {
        return shutdownGracePeriod;
    }

    @JsonProperty
    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
        this.shutdownGracePeriod = shutdownGracePeriod;
    }

    // --- Security (issue 12): TLS and connection limits, applied to the Netty builder in one place.
    private SslContext tls;

    /** Serve TLS only, with this context (set at startup from security.tls); null: plaintext. */
    public void useTls(SslContext tls) {
        this.tls = tls;
    }

    /** Whether the server serves TLS. */
    public boolean usesTls() {
        return tls != null;
    }

    /** Connection limits, keepalive, idle and age limits, rapid-reset protection. */
    @jakarta.validation.Valid
    @NotNull
    private GrpcConnectionsFactory connections = new GrpcConnectionsFactory();

    @JsonProperty
    public GrpcConnectionsFactory getConnections() {
        return connections;
    }

    @JsonProperty
    public void setConnections(GrpcConnectionsFactory connections) {
        this.connections = connections;
    }

    /** Applies TLS and the connection settings; close the result once the server has terminated. */
    AutoCloseable configureConnections(NettyServerBuilder builder) {
        if (tls != null) {
            builder.sslContext(tls);
        }
        return connections.apply(builder);
    }
    // --- end of security settings

    /**
     * Builds the (not yet started) server for these services, listening on {@link #serverBuilder()};
     * its executors are managed by {@code lifecycle} (stopped after the server, which is managed
     * later). Every call to any service passes through the interceptors (the last one given sees a
     * call first).
     *
     * @param limits the processor's limits: gRPC refuses messages over limits.maxInputSize from their length prefix
     */
    public GrpcServer build(LifecycleEnvironment lifecycle, List<BindableService> services,
            List<ServerInterceptor> interceptors, Limits limits) {
        int threads = executorThreads > 0 ? executorThreads
                : Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        ExecutorService imageCalls = lifecycle.executorService("grpc-image-%d")
                .minThreads(threads).maxThreads(threads).allowCoreThreadTimeOut(true).build();
        ExecutorService otherCalls = lifecycle.executorService("grpc-service-%d").minThreads(2).maxThreads(2).build();
        NettyServerBuilder builder = serverBuilder();
        return new GrpcServer(builder, configureConnections(builder), services, interceptors, imageCalls, otherCalls,
                limits.maxInputBytes(), shutdownGracePeriod.toNanoseconds());
    }

    /** Where the server listens: Netty on {@code bindHost:port} (TLS and connection limits not yet applied). */
    public NettyServerBuilder serverBuilder() {
        return NettyServerBuilder.forAddress(new InetSocketAddress(bindHost, port));
    }
}
