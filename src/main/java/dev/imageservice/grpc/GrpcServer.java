package dev.imageservice.grpc;

import com.google.common.util.concurrent.MoreExecutors;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.dropwizard.lifecycle.Managed;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server, started and stopped by Dropwizard's lifecycle, built from any
 * {@link ServerBuilder} (Netty on a port in production, in-process in tests). Unary image calls are
 * parsed and started on their connection's event loop, streaming image calls run on an executor of
 * their own, health and reflection on another, so probes are answered however busy the image calls
 * are; none runs image work (that is the processor's workers) nor waits for admission.
 *
 * <p>Shutdown has two steps, so that gRPC stops taking work when the whole service does and not
 * only once Jetty has drained its HTTP requests: {@link #stopAccepting()} as soon as shutdown
 * begins, then {@link #stop()} (Dropwizard stops managed objects after Jetty's drain), which waits
 * until every image call has written its last byte, or the grace period, counted from the first
 * step, is over; only then are the connections closed.
 */
public final class GrpcServer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    private static final int MESSAGE_OVERHEAD_BYTES = 1024;

    private final ServerBuilder<?> builder;
    private final long graceNanos;
    private final ImageCallsInFlight imageCalls = new ImageCallsInFlight();
    private volatile Server server;
    private final AutoCloseable connectionResources;
    private volatile long stopAcceptingNanos;
    private boolean stoppedAccepting;

    /**
     * @param builder       where to listen (and how: TLS, connection limits); the rest is set here
     * @param connectionResources what the builder's connections hold (event loops), closed once the server has terminated
     * @param imageCalls    runs the image calls' callbacks (parsing messages, starting work, writing answers)
     * @param otherCalls    runs health and reflection calls
     * @param maxInputBytes gRPC refuses larger messages from their length prefix
     */
    GrpcServer(ServerBuilder<?> builder, AutoCloseable connectionResources, List<BindableService> services,
            List<ServerInterceptor> interceptors, Executor imageCalls, Executor otherCalls, long maxInputBytes,
            long graceNanos) {
        this.builder = builder;
        this.connectionResources = connectionResources;
        this.graceNanos = graceNanos;
        // The image plus the few bytes of protobuf framing around it.
        int maxInbound = Math.toIntExact(Math.min(Integer.MAX_VALUE, maxInputBytes + MESSAGE_OVERHEAD_BYTES));
        builder.executor(otherCalls)
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
                        if (ImageServiceGrpc.getProcessImageMethod().getFullMethodName()
                                .equals(call.getMethodDescriptor().getFullMethodName())) {
                            // A unary request is parsed where it arrives, on its connection's event loop:
                            // its received bytes (off-heap) are let go at once, and a connection reads no
                            // more than its calls can take in. On a pool, the messages of a burst of calls
                            // wait there unparsed, up to every request at once (measured: 700 MB for 200
                            // requests of 2 MiB). What follows is cheap: the input is counted, its header
                            // checked, and it waits for admission as a queue entry.
                            return MoreExecutors.directExecutor();
                        }
                        return ImageServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())
                                ? imageCalls : null;
                    }
                })
                .addStreamTracerFactory(new CallCanceller())
                .maxInboundMessageSize(maxInbound);
        services.forEach(builder::addService);
        interceptors.forEach(builder::intercept);
        builder.intercept(this.imageCalls); // last added, first to see a call
    }

    @Override
    public void start() throws IOException {
        QuietStreamResets.install();
        server = builder.build().start();
        LOG.info("gRPC server listening on port {}", server.getPort());
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
        LOG.info("gRPC server refuses new calls; calls in flight have {} ms to write their answers",
                TimeUnit.NANOSECONDS.toMillis(graceNanos));
        server.shutdown();
    }

    @Override
    public void stop() throws InterruptedException {
        if (server == null) {
            return;
        }
        stopAccepting();
        long deadline = stopAcceptingNanos + graceNanos;
        // Wait for the image calls only: other open calls (health Watch streams) never end by themselves.
        // An image call ends when gRPC has written its last byte (or it is cancelled).
        while (imageCalls.count() > 0 && !server.isTerminated() && System.nanoTime() - deadline < 0) {
            server.awaitTermination(Math.min(50_000_000L, Math.max(1, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
        }
        if (imageCalls.count() > 0 && !server.isTerminated()) {
            LOG.warn("{} image call(s) still running after the grace period; cancelling them", imageCalls.count());
        }
        if (!server.isTerminated()) {
            server.shutdownNow(); // ends what is left: watch streams, or calls past the grace period
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        closeConnectionResources();
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

    /** The port actually bound (useful when the configured port is 0); -1 in-process. */
    public int getPort() {
        if (server == null) {
            throw new IllegalStateException("the gRPC server is not started");
        }
        return server.getPort();
    }
}
