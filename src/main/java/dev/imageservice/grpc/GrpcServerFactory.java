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
import org.slf4j.LoggerFactory;

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
     * Threads that run image calls. A call waits for admission (limits) on its thread, so every call
     * that can be in work or queued needs one: 0 (the default) means limits.maxConcurrent +
     * limits.maxQueued (at least 256), created on demand. Health and reflection calls run on two threads of their
     * own, so probes are answered however busy the image calls are.
     */
    @Min(0)
    @Max(100_000)
    private int executorThreads = 0;

    private static final int MIN_AUTO_THREADS = 256;

    /** On shutdown, how long calls in flight may take to finish before they are cancelled. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration shutdownGracePeriod = Duration.seconds(10);

    /**
     * A streaming call whose client sends no chunk, or reads none of the answer, for this long is
     * ended with DEADLINE_EXCEEDED, so a stalled client cannot hold memory forever.
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
     * Builds the (not yet started) server for these services; every call to any of them passes
     * through the interceptors (the last one given sees a call first).
     *
     * @param limits the processor's limits: gRPC refuses messages over limits.maxInputSize from their
     *               length prefix, and sizes the image-call threads from the admission limits
     */
    public GrpcServer build(List<BindableService> services, List<ServerInterceptor> interceptors, Limits limits) {
        // At least 256 even for a short queue: calls past the queue must reach admission to be refused
        // as overloaded; a call without a thread would wait, unseen, in the executor's own queue.
        int threads = executorThreads > 0 ? executorThreads
                : Math.max(MIN_AUTO_THREADS, limits.maxConcurrent() + limits.maxQueued());
        if (threads < limits.maxConcurrent() + limits.maxQueued()) {
            LoggerFactory.getLogger(GrpcServerFactory.class).warn("grpc.executorThreads ({}) is below limits.maxConcurrent"
                    + " + limits.maxQueued ({}): calls beyond it wait outside the admission queue and its maxQueueWait",
                    threads, limits.maxConcurrent() + limits.maxQueued());
        }
        return new GrpcServer(this, services, interceptors, limits.maxInputBytes(), threads);
    }
}
