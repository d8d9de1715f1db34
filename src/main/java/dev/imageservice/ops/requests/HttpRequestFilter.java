package dev.imageservice.ops.requests;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;

/**
 * Gives every HTTP request on the application port a request id (the caller's {@code X-Request-Id},
 * or a new one), sent back as the {@code X-Request-Id} response header (so the access log has it
 * too) and in the logging MDC while the request is handled. Requests under {@code tracedPrefix}
 * (the API) also get a server span, child of the caller's W3C {@code traceparent}; its trace id is
 * left in the request attribute {@link #TRACE_ID_ATTRIBUTE} for the access log.
 */
public final class HttpRequestFilter implements Filter {
    public static final String REQUEST_ID_ATTRIBUTE = "requestId";
    public static final String TRACE_ID_ATTRIBUTE = "traceId";

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest carrier) {
            return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }
    };

    private final Tracing tracing;
    private final String tracedPrefix;

    public HttpRequestFilter(Tracing tracing, String tracedPrefix) {
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.tracedPrefix = Objects.requireNonNull(tracedPrefix, "tracedPrefix");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        String requestId = RequestIds.acceptOrCreate(request.getHeader(RequestIds.HEADER));
        response.setHeader(RequestIds.HEADER, requestId);
        request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        String path = request.getRequestURI();
        Span span = Span.getInvalid();
        Context context = Context.root();
        if (path.startsWith(tracedPrefix)) {
            Context parent = tracing.propagator().extract(Context.root(), request, HEADERS);
            span = tracing.tracer().spanBuilder(request.getMethod() + " " + path)
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.request.method", request.getMethod())
                    .setAttribute("url.path", path)
                    .setAttribute("request.id", requestId)
                    .startSpan();
            context = parent.with(span);
            if (span.getSpanContext().isValid()) {
                request.setAttribute(TRACE_ID_ATTRIBUTE, span.getSpanContext().getTraceId());
            }
        }
        try (Scope current = context.makeCurrent(); RequestMdc mdc = RequestMdc.enter(requestId, span.getSpanContext())) {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            if (span.isRecording()) {
                int status = response.getStatus();
                span.setAttribute("http.response.status_code", status);
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            }
        }
    }
}
