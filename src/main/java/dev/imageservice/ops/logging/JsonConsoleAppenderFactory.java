package dev.imageservice.ops.logging;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.spi.DeferredProcessingAware;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.imageservice.ops.requests.HttpRequestFilter;
import dev.imageservice.ops.requests.RequestIds;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.layout.LayoutFactory;
import io.dropwizard.logging.json.AccessJsonLayoutBaseFactory;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import io.dropwizard.request.logging.layout.LogbackAccessRequestLayoutFactory;
import java.util.Set;

/**
 * The console appender writing one JSON object per line ({@code LOG_FORMAT=json}), for a log
 * pipeline. Application logs use Dropwizard's {@code json} layout with the MDC flattened, so the
 * request id ({@code requestId}) and trace ({@code traceId}, {@code spanId}) are top-level fields;
 * the access log uses its {@code access-json} layout with the {@code X-Request-Id} response header
 * and the {@code traceId} request attribute. Whether it serves the one or the other is known from
 * the layout factory Dropwizard hands it, so one appender type serves both sections of config.yml.
 */
@JsonTypeName("console-json")
public class JsonConsoleAppenderFactory<E extends DeferredProcessingAware> extends ConsoleAppenderFactory<E> {

    @Override
    @SuppressWarnings("unchecked")
    protected LayoutBase<E> buildLayout(LoggerContext context, LayoutFactory<E> defaultLayout) {
        if (layout != null) {
            return super.buildLayout(context, defaultLayout); // an explicit layout: config.yml knows best
        }
        if (defaultLayout instanceof LogbackAccessRequestLayoutFactory) {
            AccessJsonLayoutBaseFactory access = new AccessJsonLayoutBaseFactory();
            access.setResponseHeaders(Set.of(RequestIds.HEADER));
            access.setRequestAttributes(Set.of(HttpRequestFilter.TRACE_ID_ATTRIBUTE));
            return (LayoutBase<E>) (LayoutBase<IAccessEvent>) access.build(context, getTimeZone());
        }
        EventJsonLayoutBaseFactory events = new EventJsonLayoutBaseFactory();
        events.setFlattenMdc(true);
        return (LayoutBase<E>) (LayoutBase<ILoggingEvent>) events.build(context, getTimeZone());
    }
}
