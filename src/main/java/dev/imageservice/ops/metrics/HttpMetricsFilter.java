package dev.imageservice.ops.metrics;

import com.codahale.metrics.MetricRegistry;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times every request to a Jersey resource and counts it by endpoint and status class (2xx, 4xx,
 * 5xx). The endpoint is the HTTP method and the matched path template ({@code POST /api/v1/process},
 * {@code GET /items/{id}}), never the raw path, so that the number of metric names stays bounded;
 * requests that match no resource all count as {@link MetricNames#HTTP_UNMATCHED}.
 *
 * <p>Generic: it knows no resource, so registering it with {@code environment.jersey()} covers every
 * resource. Responses made by exception mappers are counted with their mapped status. The time ends
 * when the response headers are ready, before the entity is written.
 */
@Provider
@PreMatching // the request side runs before matching, so even unmatched requests are timed
@Priority(1) // outermost: first on the way in, last on the way out
public final class HttpMetricsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String START_NANOS = HttpMetricsFilter.class.getName() + ".startNanos";

    private final MetricRegistry metrics;
    private final PrometheusMetrics prometheus;

    public HttpMetricsFilter(MetricRegistry metrics) {
        this(metrics, new PrometheusMetrics());
    }

    public HttpMetricsFilter(MetricRegistry metrics, PrometheusMetrics prometheus) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(START_NANOS, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(START_NANOS) instanceof Long startNanos)) {
            return; // the request never passed our request filter (e.g. refused by Jersey before it)
        }
        String endpoint = endpoint(request);
        long nanos = System.nanoTime() - startNanos;
        String statusClass = statusClass(response.getStatus());
        metrics.timer(MetricNames.httpRequests(endpoint)).update(nanos, TimeUnit.NANOSECONDS);
        metrics.meter(MetricNames.httpResponses(endpoint, statusClass)).mark();
        String route = endpoint.equals(MetricNames.HTTP_UNMATCHED) ? MetricNames.HTTP_UNMATCHED
                : endpoint.substring(endpoint.indexOf(' ') + 1);
        prometheus.httpSeconds.labels(request.getMethod(), route, statusClass).observe(nanos / 1e9);
    }

    static String endpoint(ContainerRequestContext request) {
        UriInfo uriInfo = request.getUriInfo();
        if (!(uriInfo instanceof ExtendedUriInfo info) || info.getMatchedResourceMethod() == null) {
            return MetricNames.HTTP_UNMATCHED;
        }
        // Matched templates run from the resource method up to the root resource.
        List<UriTemplate> templates = info.getMatchedTemplates();
        // The base path (Jersey's mount point, /api) first, so the endpoint reads as the real URL path.
        String base = info.getBaseUri().getRawPath();
        StringBuilder path = new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        for (int i = templates.size() - 1; i >= 0; i--) {
            String template = templates.get(i).getTemplate();
            if (template.isEmpty() || template.equals("/")) {
                continue;
            }
            if (!template.startsWith("/")) {
                path.append('/');
            }
            path.append(template.endsWith("/") ? template.substring(0, template.length() - 1) : template);
        }
        return request.getMethod() + " " + (path.length() == 0 ? "/" : path);
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
    }
}
