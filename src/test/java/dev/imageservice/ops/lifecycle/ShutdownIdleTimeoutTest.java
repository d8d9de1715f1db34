package dev.imageservice.ops.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

class ShutdownIdleTimeoutTest {
    @Test
    void connectorsKeepSilentConnectionsForFiveSecondsOnShutdownInsteadOfOne() {
        Server server = new Server();
        ServerConnector usual = new ServerConnector(server);
        usual.setIdleTimeout(30_000);
        ServerConnector shortIdle = new ServerConnector(server);
        shortIdle.setIdleTimeout(2_000);
        server.addConnector(usual);
        server.addConnector(shortIdle);
        assertThat(usual.getShutdownIdleTimeout()).isEqualTo(1_000); // Jetty's default

        new ShutdownIdleTimeout().serverStarted(server);

        assertThat(usual.getShutdownIdleTimeout()).isEqualTo(5_000);
        assertThat(shortIdle.getShutdownIdleTimeout()).isEqualTo(2_000);
    }
}
