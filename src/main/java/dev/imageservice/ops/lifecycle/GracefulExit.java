package dev.imageservice.ops.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT a normal exit (status 0) of the server process. The JVM's own handler
 * runs the shutdown hooks too (Jetty's, which stops the server gracefully) but then exits with
 * 128 + the signal's number (143 for SIGTERM), which process managers report as a failure of
 * every planned stop. Here the signal calls {@code System.exit(0)} instead: the same shutdown
 * hooks, the same graceful stop, status 0.
 *
 * <p>For the {@code server} command only: the client and bench commands keep the JVM's default,
 * where Ctrl-C means "interrupted". {@code sun.misc.Signal} lives in the {@code jdk.unsupported}
 * module, which JEP 260 keeps accessible for uses like this one that have no supported API yet;
 * javac warns about it all the same.
 */
public final class GracefulExit {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulExit.class);

    private GracefulExit() {
    }

    /** Installs the handlers for TERM and INT. */
    public static void onTerminationSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            // The JDK runs each handler in a thread of its own, so System.exit may block here while
            // the shutdown hooks drain the servers.
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG{} received: stopping gracefully", signal.getName());
                System.exit(0);
            });
        }
    }
}
