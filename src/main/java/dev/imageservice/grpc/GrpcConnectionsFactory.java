package dev.imageservice.grpc;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc.connections:} section of config.yml: how many connections the gRPC server holds
 * and for how long, so that idle or abusive clients cannot use up its file descriptors, streams
 * or CPU. Defaults suit clients that keep a channel open, as gRPC clients do.
 */
public class GrpcConnectionsFactory {
    /** Connections open at once; more are refused with a GOAWAY as soon as they are accepted. */
    @Min(1)
    private int maxConnections = 10_000;

    /**
     * Connections open at once from one client IP address. A proxy, a NAT or a load generator in
     * front counts as one address, and a client that opens a connection per call briefly holds two
     * (the next opens before the last is closed), so this is well above a single client's needs.
     */
    @Min(1)
    private int maxConnectionsPerAddress = 1000;

    /** Calls (HTTP/2 streams) open at once on one connection; more wait in the client. */
    @Min(1)
    private int maxConcurrentCallsPerConnection = 200;

    /** A connection with no call for this long is closed (GOAWAY); clients reconnect when they need to. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration maxConnectionIdle = Duration.minutes(5);

    /** A connection older than this is asked to go away, so clients rebalance and none lives forever. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration maxConnectionAge = Duration.minutes(30);

    /** Calls still running when a connection reaches its maximum age get this long to finish. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration maxConnectionAgeGrace = Duration.minutes(1);

    /** The server pings a connection that has been quiet this long, to find dead peers. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    private Duration keepAliveTime = Duration.minutes(2);

    /** A ping not answered within this closes the connection. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration keepAliveTimeout = Duration.seconds(20);

    /** Clients may ping at most this often (more often: GOAWAY ENHANCE_YOUR_CALM). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration permitKeepAliveTime = Duration.seconds(20);

    /** Rapid-reset protection (CVE-2023-44487): more stream resets than this per window end the connection. */
    @Min(1)
    private int maxResetsPerWindow = 500;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @io.dropwizard.validation.MaxDuration(value = Integer.MAX_VALUE, unit = TimeUnit.SECONDS)
    private Duration resetWindow = Duration.seconds(10);

    /**
     * HTTP/2 flow-control window of each call (stream): what a client may send that the server has
     * not asked for. A {@code ProcessImage} call waiting for room to read its message holds at most
     * this much of it. The connection's window is refilled as data arrives (grpc-java's Netty server
     * handler), so unread calls never stop the others on their connection.
     */
    @NotNull
    @io.dropwizard.validation.MinDataSize(value = 64, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
    @io.dropwizard.validation.MaxDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.GIBIBYTES)
    private io.dropwizard.util.DataSize flowControlWindow = io.dropwizard.util.DataSize.kibibytes(256);

    /** Netty threads that run the connections' I/O; 0 = twice the cores, as grpc-java's default. */
    @Min(0)
    @Max(1024)
    private int ioThreads = 0;

    /**
     * Applies these settings to the builder. The connection limit needs a listening channel of our
     * own, and so event loops of our own: close the returned handle after the server terminated.
     */
    AutoCloseable apply(NettyServerBuilder builder) {
        builder.maxConcurrentCallsPerConnection(maxConcurrentCallsPerConnection)
                .maxConnectionIdle(maxConnectionIdle.toNanoseconds(), TimeUnit.NANOSECONDS)
                .maxConnectionAge(maxConnectionAge.toNanoseconds(), TimeUnit.NANOSECONDS)
                .maxConnectionAgeGrace(maxConnectionAgeGrace.toNanoseconds(), TimeUnit.NANOSECONDS)
                .keepAliveTime(keepAliveTime.toNanoseconds(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(keepAliveTimeout.toNanoseconds(), TimeUnit.NANOSECONDS)
                .permitKeepAliveTime(permitKeepAliveTime.toNanoseconds(), TimeUnit.NANOSECONDS)
                .maxRstFramesPerWindow(maxResetsPerWindow, Math.toIntExact(resetWindow.toSeconds()))
                .flowControlWindow(Math.toIntExact(flowControlWindow.toBytes()))
                // Answers are framed on the heap, not in native memory outside -Xmx (see the class).
                .withChildOption(ChannelOption.ALLOCATOR, HeapFramingAllocator.create());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("grpc-accept", true),
                NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("grpc-io", true),
                NioIoHandler.newFactory());
        ConnectionLimitingServerChannel.Counts counts = new ConnectionLimitingServerChannel.Counts();
        builder.bossEventLoopGroup(boss).workerEventLoopGroup(workers)
                .channelFactory(() -> new ConnectionLimitingServerChannel(maxConnections, maxConnectionsPerAddress, counts));
        return () -> {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        };
    }

    @JsonProperty
    public int getMaxConnections() {
        return maxConnections;
    }

    @JsonProperty
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @JsonProperty
    public int getMaxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    @JsonProperty
    public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    @JsonProperty
    public int getMaxConcurrentCallsPerConnection() {
        return maxConcurrentCallsPerConnection;
    }

    @JsonProperty
    public void setMaxConcurrentCallsPerConnection(int maxConcurrentCallsPerConnection) {
        this.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection;
    }

    @JsonProperty
    public Duration getMaxConnectionIdle() {
        return maxConnectionIdle;
    }

    @JsonProperty
    public void setMaxConnectionIdle(Duration maxConnectionIdle) {
        this.maxConnectionIdle = maxConnectionIdle;
    }

    @JsonProperty
    public Duration getMaxConnectionAge() {
        return maxConnectionAge;
    }

    @JsonProperty
    public void setMaxConnectionAge(Duration maxConnectionAge) {
        this.maxConnectionAge = maxConnectionAge;
    }

    @JsonProperty
    public Duration getMaxConnectionAgeGrace() {
        return maxConnectionAgeGrace;
    }

    @JsonProperty
    public void setMaxConnectionAgeGrace(Duration maxConnectionAgeGrace) {
        this.maxConnectionAgeGrace = maxConnectionAgeGrace;
    }

    @JsonProperty
    public Duration getKeepAliveTime() {
        return keepAliveTime;
    }

    @JsonProperty
    public void setKeepAliveTime(Duration keepAliveTime) {
        this.keepAliveTime = keepAliveTime;
    }

    @JsonProperty
    public Duration getKeepAliveTimeout() {
        return keepAliveTimeout;
    }

    @JsonProperty
    public void setKeepAliveTimeout(Duration keepAliveTimeout) {
        this.keepAliveTimeout = keepAliveTimeout;
    }

    @JsonProperty
    public Duration getPermitKeepAliveTime() {
        return permitKeepAliveTime;
    }

    @JsonProperty
    public void setPermitKeepAliveTime(Duration permitKeepAliveTime) {
        this.permitKeepAliveTime = permitKeepAliveTime;
    }

    @JsonProperty
    public int getMaxResetsPerWindow() {
        return maxResetsPerWindow;
    }

    @JsonProperty
    public void setMaxResetsPerWindow(int maxResetsPerWindow) {
        this.maxResetsPerWindow = maxResetsPerWindow;
    }

    @JsonProperty
    public Duration getResetWindow() {
        return resetWindow;
    }

    @JsonProperty
    public void setResetWindow(Duration resetWindow) {
        this.resetWindow = resetWindow;
    }

    @JsonProperty
    public int getIoThreads() {
        return ioThreads;
    }

    @JsonProperty
    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    @JsonProperty
    public io.dropwizard.util.DataSize getFlowControlWindow() {
        return flowControlWindow;
    }

    @JsonProperty
    public void setFlowControlWindow(io.dropwizard.util.DataSize flowControlWindow) {
        this.flowControlWindow = flowControlWindow;
    }
}
