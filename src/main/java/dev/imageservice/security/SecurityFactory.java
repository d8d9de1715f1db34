package dev.imageservice.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import dev.imageservice.grpc.GrpcServerFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.grpc.ServerInterceptor;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import dev.imageservice.grpc.CallerName;
import org.slf4j.LoggerFactory;
import java.util.Optional;

/**
 * The {@code security:} section of config.yml. Everything is off by default, so local use needs
 * no certificate or key; each setting is switched on by one environment variable.
 */
public class SecurityFactory {
    @Valid
    @NotNull
    private TlsFactory tls = new TlsFactory();

    /** The API keys file, one name:key a line (env API_KEYS_FILE); empty: no keys needed. */
    @NotNull
    private String apiKeysFile = "";

    private ApiKeys apiKeys;

    @JsonProperty
    public String getApiKeysFile() {
        return apiKeysFile;
    }

    @JsonProperty
    public void setApiKeysFile(String apiKeysFile) {
        this.apiKeysFile = apiKeysFile == null ? "" : apiKeysFile.trim(); // "${VAR:-}" in YAML is null
    }

    /** The keys, read once; empty when no keys file is set. */
    public Optional<ApiKeys> apiKeys() {
        if (apiKeysFile.isEmpty()) {
            return Optional.empty();
        }
        if (apiKeys == null) {
            apiKeys = ApiKeys.load(Path.of(apiKeysFile));
            LoggerFactory.getLogger(SecurityFactory.class).info("API keys required on the image calls: {} key(s) from {}",
                    apiKeys.size(), apiKeysFile);
        }
        return Optional.of(apiKeys);
    }

    /** The interceptors the gRPC server needs for security (the API key check of the image calls). */
    public List<ServerInterceptor> grpcInterceptors(MetricRegistry metrics, String imageService) {
        // Inner first: the caller's address names calls the API key interceptor did not name.
        return apiKeys().<List<ServerInterceptor>>map(keys -> List.of(CallerName.byPeerAddress(),
                        new ApiKeyGrpcInterceptor(keys, Set.of(imageService), metrics)))
                .orElse(List.of(CallerName.byPeerAddress()));
    }

    /**
     * Registers the HTTP side: the API key check of /api/*, security headers and JSON error pages on
     * both ports, CORS, and the admin tasks switch.
     */
    public void registerHttp(Environment environment) {
        apiKeys().ifPresent(keys -> environment.jersey().register(new ApiKeyFilter(keys, environment.metrics())));
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        environment.servlets().addFilter("security-headers", new SecurityHeadersFilter())
                .addMappingForUrlPatterns(requests, false, "/*");
        environment.admin().addFilter("security-headers", new SecurityHeadersFilter())
                .addMappingForUrlPatterns(requests, false, "/*");
        if (!adminTasks) {
            environment.admin().addFilter("admin-tasks-off", new AdminTasksSwitch())
                    .addMappingForUrlPatterns(requests, false, "/tasks/*");
        }
        environment.getApplicationContext().setErrorHandler(new JsonErrorHandler());
        environment.getAdminContext().setErrorHandler(new JsonErrorHandler());
        // Errors found before a request reaches a context (a malformed request line or header).
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new JsonErrorHandler.ForServer()));
        List<String> origins = corsOrigins();
        if (!origins.isEmpty()) {
            environment.getApplicationContext().insertHandler(Cors.handler(origins));
        }
    }

    /** Whether Dropwizard's admin tasks (/tasks/gc, /tasks/log-level, ...) answer (env ADMIN_TASKS). */
    private boolean adminTasks = false;

    /** Origins allowed to call the API from a browser, comma-separated (env CORS_ORIGINS); empty: none. */
    @NotNull
    private String corsOrigins = "";

    @JsonProperty
    public boolean isAdminTasks() {
        return adminTasks;
    }

    @JsonProperty
    public void setAdminTasks(boolean adminTasks) {
        this.adminTasks = adminTasks;
    }

    @JsonProperty
    public String getCorsOrigins() {
        return corsOrigins;
    }

    @JsonProperty
    public void setCorsOrigins(String corsOrigins) {
        this.corsOrigins = corsOrigins == null ? "" : corsOrigins.trim();
    }

    List<String> corsOrigins() {
        return java.util.Arrays.stream(corsOrigins.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
    }

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
