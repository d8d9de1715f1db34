package dev.imageservice.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import dev.imageservice.grpc.GrpcServerFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import java.util.List;
import java.util.Optional;

/**
 * The {@code security:} section of config.yml. Everything is off by default, so local use needs
 * no certificate or key; each setting is switched on by one environment variable.
 */
public class SecurityFactory {
    @Valid
    @NotNull
    private TlsFactory tls = new TlsFactory();

    @JsonProperty
    public TlsFactory getTls() {
        return tls;
    }

    @JsonProperty
    public void setTls(TlsFactory tls) {
        this.tls = tls;
    }

    /**
     * Switches TLS on for the gRPC server and the {@code image-http} application connectors, when
     * security.tls is set; call before the servers are built.
     *
     * @throws IllegalStateException if TLS is set but no application connector can serve it
     */
    public Optional<ServerTls> applyTls(ServerFactory server, GrpcServerFactory grpc) {
        Optional<ServerTls> built = tls.build();
        built.ifPresent(serverTls -> {
            List<ConnectorFactory> connectors = applicationConnectors(server);
            List<TlsHttpConnectorFactory> tlsConnectors = connectors.stream()
                    .filter(TlsHttpConnectorFactory.class::isInstance).map(TlsHttpConnectorFactory.class::cast).toList();
            if (tlsConnectors.size() != connectors.size()) {
                throw new IllegalStateException("security.tls is set, but not every server.applicationConnectors entry"
                        + " is of type image-http: the HTTP port would stay plaintext");
            }
            tlsConnectors.forEach(connector -> connector.useTls(serverTls));
            grpc.useTls(serverTls.grpcContext());
        });
        return built;
    }

    private static List<ConnectorFactory> applicationConnectors(ServerFactory server) {
        if (server instanceof DefaultServerFactory defaultServer) {
            return defaultServer.getApplicationConnectors();
        }
        if (server instanceof SimpleServerFactory simple) {
            return List.of(simple.getConnector());
        }
        return List.of();
    }
}
