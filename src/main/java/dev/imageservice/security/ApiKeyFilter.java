package dev.imageservice.security;

import com.codahale.metrics.MetricRegistry;
import dev.imageservice.ops.metrics.MetricNames;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Every HTTP API request (Jersey serves only {@code /api/*}) needs {@code Authorization: Bearer
 * <key>}; others get 401 with {@code WWW-Authenticate: Bearer} and a JSON body, before their body
 * is read. The page's files are not behind it (the page asks for the key itself). The key's name
 * is the request's {@code client} in the log while it runs.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ApiKeyFilter implements ContainerRequestFilter, ContainerResponseFilter {
    /** The challenge of a 401. */
    public static final String CHALLENGE = "Bearer realm=\"image-service\"";
    /** Read by the HTTP transport for the fair shares of the admission queue. */
    private static final String NAME_PROPERTY = dev.imageservice.http.HttpCallerName.ATTRIBUTE;

    private final ApiKeys keys;
    private final MetricRegistry metrics;

    public ApiKeyFilter(ApiKeys keys, MetricRegistry metrics) {
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if ("OPTIONS".equals(request.getMethod())) {
            return; // CORS preflights carry no credentials by design
        }
        Optional<String> name = keys.nameOfBearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (name.isEmpty()) {
            metrics.meter(MetricNames.API_KEY_REFUSED).mark();
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorMessage(401, "a valid API key is required: send the header 'Authorization: Bearer <key>'"))
                    .build());
            return;
        }
        metrics.meter(MetricNames.apiKeyAccepted(name.get())).mark();
        request.setProperty(NAME_PROPERTY, name.get());
        MDC.put(ClientIdentity.MDC_KEY, name.get());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MDC.remove(ClientIdentity.MDC_KEY);
    }
}
