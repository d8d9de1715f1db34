package dev.imageservice.ops.lifecycle;

import io.dropwizard.lifecycle.ServerLifecycleListener;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the one line that says the service is ready, with the ports actually bound. */
public final class ReadyLogger implements ServerLifecycleListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyLogger.class);

    private final String name;
    private final IntSupplier grpcPort;
    private final String openCvVersion;

    public ReadyLogger(String name, IntSupplier grpcPort, String openCvVersion) {
        this.name = Objects.requireNonNull(name, "name");
        this.grpcPort = Objects.requireNonNull(grpcPort, "grpcPort");
        this.openCvVersion = Objects.requireNonNull(openCvVersion, "openCvVersion");
    }

    /** Called once Jetty and every managed object (the gRPC server among them) have started. */
    @Override
    public void serverStarted(Server server) {
        LOG.info("{} ready: HTTP port {}, admin port {}, gRPC port {}, OpenCV {}",
                name, getLocalPort(server), getAdminPort(server), grpcPort.getAsInt(), openCvVersion);
    }
}
