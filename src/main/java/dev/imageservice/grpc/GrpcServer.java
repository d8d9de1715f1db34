package dev.imageservice.grpc;

import io.dropwizard.lifecycle.Managed;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server, started and stopped by Dropwizard's lifecycle. Calls run on a fixed pool of
 * its own, so image work never runs on Netty's event loops.
 *
 * <p>Shutdown has two steps, so that gRPC stops taking work when the whole service does and not
 * only once Jetty has drained its HTTP requests: {@link #stopAccepting()} as soon as shutdown
 * begins, then {@link #stop()} (Dropwizard stops managed objects after Jetty's drain), which
 * waits for the calls in flight until the grace period, counted from the first step, is over
 * and cancels what is left.
 */
public final class GrpcServer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    private static final int MESSAGE_OVERHEAD_BYTES = 1024;

    private final GrpcServerFactory config;
    private final List<BindableService> services;
    private final int maxInboundMessageBytes;
    private final List<ServerInterceptor> interceptors;
    private final int imageCallThreads;
    private final ImageCallsInFlight imageCalls = new ImageCallsInFlight();
    private ExecutorService executor;
    private ExecutorService serviceExecutor;
    private volatile Server server;
    private AutoCloseable connectionResources;
    private volatile long stopAcceptingNanos;
    private boolean stoppedAccepting;

    GrpcServer(GrpcServerFactory config, List<BindableService> services, List<ServerInterceptor> interceptors,
            long maxInputBytes, int imageCallThreads) {
        this.imageCallThreads = imageCallThreads;
        this.config = config;
        this.services = List.copyOf(services);
        this.interceptors = List.copyOf(interceptors);
        // The image plus the few bytes of protobuf framing around it.
        this.maxInboundMessageBytes = Math.toIntExact(Math.min(Integer.MAX_VALUE, maxInputBytes + MESSAGE_OVERHEAD_BYTES));
    }

    @Override
    public void start() throws IOException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(imageCallThreads, imageCallThreads,
                60L, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), namedThreads("grpc-image-"));
        pool.allowCoreThreadTimeOut(true); // idle threads go away after a burst
        executor = pool;
        // Health checks and reflection never queue behind image calls: a readiness probe must be
        // answered most of all when the service is busy.
        serviceExecutor = java.util.concurrent.Executors.newFixedThreadPool(2, namedThreads("grpc-service-"));
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(config.getBindHost(), config.getPort()))
                .executor(serviceExecutor)
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
                        return ImageServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
                                ? executor : null;
                    }
                })
                .maxInboundMessageSize(maxInboundMessageBytes);
        connectionResources = config.configureConnections(builder); // TLS, connection limits and timeouts
        services.forEach(builder::addService);
        interceptors.forEach(builder::intercept);
        builder.intercept(imageCalls); // last added, first to see a call
        server = builder.build().start();
        LOG.info("gRPC server listening on {}:{}", config.getBindHost(), server.getPort());
    }

    /**
     * Refuses new calls (UNAVAILABLE; clients see GOAWAY on their connections) and lets the calls
     * in flight go on; returns at once. The grace period starts now. Idempotent.
     */
    public synchronized void stopAccepting() {
        if (server == null || stoppedAccepting) {
            return;
        }
        stoppedAccepting = true;
        stopAcceptingNanos = System.nanoTime();
        LOG.info("gRPC server refuses new calls; calls in flight have {} ms to finish",
                config.getShutdownGracePeriod().toMilliseconds());
        server.shutdown();
    }

    @Override
    public void stop() throws InterruptedException {
        if (server == null) {
            return;
        }
        stopAccepting();
        long graceNanos = config.getShutdownGracePeriod().toNanoseconds();
        long leftNanos = graceNanos - (System.nanoTime() - stopAcceptingNanos);
        long deadline = System.nanoTime() + Math.max(0, leftNanos);
        // Wait for the image calls only: other open calls (health Watch streams) never end by themselves.
        while (imageCalls.count() > 0 && !server.isTerminated() && System.nanoTime() < deadline) {
            server.awaitTermination(Math.min(50_000_000L, Math.max(1, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
        }
        if (imageCalls.count() > 0) {
            LOG.warn("{} image call(s) still running after the grace period; cancelling them", imageCalls.count());
        }
        if (!server.isTerminated()) {
            server.shutdownNow(); // ends what is left: watch streams, or calls past the grace period
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        serviceExecutor.shutdownNow();
        closeConnectionResources();
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
        LOG.info("gRPC server stopped");
    }

    private void closeConnectionResources() {
        try {
            connectionResources.close();
        } catch (Exception e) {
            LOG.warn("could not stop the gRPC event loops: {}", e.toString());
        }
    }

    /** Whether the server is started and accepts calls (false once shutdown has begun). */
    public boolean isServing() {
        Server current = server;
        return current != null && !current.isShutdown();
    }

    /** The port actually bound (useful when the configured port is 0). */
    public int getPort() {
        if (server == null) {
            throw new IllegalStateException("the gRPC server is not started");
        }
        return server.getPort();
    }

    private static ThreadFactory namedThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
