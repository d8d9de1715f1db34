package dev.imageservice.ops.lifecycle;

import io.dropwizard.lifecycle.ServerLifecycleListener;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;

/**
 * How long an HTTP connection may stay silent once shutdown has begun. When Jetty stops accepting,
 * it gives every open connection its connector's shutdown idle timeout (1 s unless set), so that
 * idle keep-alive connections close soon; but a connection that is writing an answer to a client
 * that reads slowly is silent too, and one second without progress cut such an answer in the
 * middle (measured: a 2.6 MB answer cut after 32 KiB while 100 clients shared the cores with the
 * server). {@link #SECONDS} lets such a client catch up, and costs an idle keep-alive connection
 * at most that long at the end of a shutdown; the connector's own idle timeout still applies if it
 * is shorter.
 */
public final class ShutdownIdleTimeout implements ServerLifecycleListener {
    /** The shutdown idle timeout of every connector, in seconds. */
    public static final int SECONDS = 5;

    @Override
    public void serverStarted(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector abstractConnector) {
                abstractConnector.setShutdownIdleTimeout(
                        Math.min(abstractConnector.getIdleTimeout(), SECONDS * 1000L));
            }
        }
    }
}
