package dev.imageservice.grpc;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server's listening socket, refusing a new connection when the server already holds
 * {@code maxConnections} open connections, or its client's address holds
 * {@code maxConnectionsPerAddress}. grpc-java has no connection limit of its own; without one, idle
 * connections can use up the process's file descriptors and darken every port. A connection counts
 * from its accept until it is closed. A refused connection is answered with an HTTP/2 GOAWAY that
 * processed nothing ({@link RefusedConnection}: the client's calls end UNAVAILABLE, safe to retry),
 * not closed under the client; at most {@link #MAX_REFUSING} of those linger at once, beyond that
 * (a flood) they are closed at once.
 */
final class ConnectionLimitingServerChannel extends NioServerSocketChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimitingServerChannel.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;
    /** Refused connections being answered at once; more are closed without an answer. */
    static final int MAX_REFUSING = 256;

    /** Counts shared by the listening channels of one server. */
    static final class Counts {
        final AtomicInteger open = new AtomicInteger();
        final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
        final AtomicLong refused = new AtomicLong();
        final AtomicInteger refusing = new AtomicInteger();
        final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    }

    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Counts counts;

    ConnectionLimitingServerChannel(int maxConnections, int maxConnectionsPerAddress, Counts counts) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.counts = counts;
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        int before = buf.size();
        int accepted = super.doReadMessages(buf);
        for (int i = buf.size() - 1; i >= before; i--) {
            Channel child = (Channel) buf.get(i);
            String refusal = admit(child);
            if (refusal != null) {
                buf.remove(i);
                accepted--;
                refuse(child, refusal);
            }
        }
        return accepted;
    }

    /** Counts the connection until it closes, or says why it is refused. */
    private String admit(Channel child) {
        InetAddress address = child.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (counts.open.incrementAndGet() > maxConnections) {
            counts.open.decrementAndGet();
            refused(address);
            return "the server holds its limit of " + maxConnections + " connections; try again later";
        }
        if (address != null) {
            boolean[] admitted = {true};
            counts.perAddress.compute(address, (a, n) -> {
                if (n != null && n >= maxConnectionsPerAddress) {
                    admitted[0] = false;
                    return n;
                }
                return n == null ? 1 : n + 1;
            });
            if (!admitted[0]) {
                counts.open.decrementAndGet();
                refused(address);
                return "too many connections from " + address.getHostAddress() + " (the limit is "
                        + maxConnectionsPerAddress + " per address); try again later";
            }
        }
        child.closeFuture().addListener(closed -> {
            counts.open.decrementAndGet();
            if (address != null) {
                counts.perAddress.compute(address, (a, n) -> n == null || n <= 1 ? null : n - 1);
            }
        });
        return null;
    }

    private void refuse(Channel child, String reason) {
        if (counts.refusing.incrementAndGet() > MAX_REFUSING) {
            counts.refusing.decrementAndGet();
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(closed -> counts.refusing.decrementAndGet());
        RefusedConnection.refuse(child, eventLoop(), reason);
    }

    private void refused(InetAddress address) {
        long refused = counts.refused.incrementAndGet();
        long now = System.nanoTime();
        long last = counts.lastLogNanos.get();
        if (now - last >= LOG_EVERY_NANOS && counts.lastLogNanos.compareAndSet(last, now)) {
            LOG.warn("gRPC connection limit reached ({} in all, {} per address): refused a connection from {}"
                    + " ({} refused so far)", maxConnections, maxConnectionsPerAddress, address, refused);
        }
    }
}
