package dev.imageservice.security;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.metrics.jetty12.InstrumentedConnectionFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * {@code type: image-http} in {@code server.applicationConnectors}: Dropwizard's {@code http}
 * connector (same settings), serving HTTPS instead when {@code security.tls} is set. Dropwizard's
 * own {@code https} type needs a Java key store file; this one takes the PEM files that gRPC
 * takes too, and serves a renewed certificate without a restart.
 */
@JsonTypeName("image-http")
public class TlsHttpConnectorFactory extends HttpConnectorFactory {
    private ServerTls tls;

    /** Serve TLS with this key material; called at startup, before the server is built. */
    public void useTls(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public Connector build(Server server, MetricRegistry metrics, String name, ThreadPool threadPool) {
        if (tls == null) {
            return super.build(server, metrics, name, threadPool);
        }
        SslContextFactory.Server sslContextFactory = new SslContextFactory.Server();
        sslContextFactory.setSslContext(tls.jdkContext());
        sslContextFactory.setNeedClientAuth(tls.requiresClientCertificate());
        server.addBean(sslContextFactory);
        SslConnectionFactory ssl = new SslConnectionFactory(sslContextFactory, HttpVersion.HTTP_1_1.asString());
        return buildConnector(server, new ScheduledExecutorScheduler(), buildBufferPool(), name, threadPool,
                new InstrumentedConnectionFactory(ssl, metrics.timer(httpConnections())),
                buildHttpConnectionFactory(buildHttpConfiguration()));
    }

    @Override
    protected HttpConfiguration buildHttpConfiguration() {
        HttpConfiguration config = super.buildHttpConfiguration();
        if (tls != null) {
            config.setSecureScheme("https");
            config.setSecurePort(getPort());
            // Clients check the server's name against its certificate; the server does not refuse
            // requests whose Host differs from it (a client may connect by IP or through a proxy).
            config.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        }
        return config;
    }
}
