package dev.imageservice.ops.requests;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Gives every gRPC call a request id (the caller's {@code x-request-id} metadata, or a new one),
 * echoed in the response headers and trailers, and in the logging MDC of every callback of the call,
 * whichever executor thread runs it. Calls of services in {@code traced} also get a server span,
 * child of the caller's W3C {@code traceparent}, current during the callbacks and ended with the
 * call's status; health checks and reflection get ids but no spans, so probes do not flood traces.
 */
public final class GrpcRequestInterceptor implements ServerInterceptor {
    public static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of(RequestIds.HEADER.toLowerCase(java.util.Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER);

    private static final TextMapGetter<Metadata> METADATA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
            return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String key) {
            return carrier == null ? null : carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
    };

    private final Tracing tracing;
    private final Set<String> traced;

    public GrpcRequestInterceptor(Tracing tracing, Set<String> tracedServices) {
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.traced = Set.copyOf(tracedServices);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String requestId = RequestIds.acceptOrCreate(headers.get(REQUEST_ID));
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        Context context = Context.root();
        Span span = Span.getInvalid();
        if (traced.contains(method.getServiceName())) {
            Context parent = tracing.propagator().extract(Context.root(), headers, METADATA);
            span = tracing.tracer().spanBuilder(method.getFullMethodName())
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("rpc.system", "grpc")
                    .setAttribute("rpc.service", String.valueOf(method.getServiceName()))
                    .setAttribute("rpc.method", String.valueOf(method.getBareMethodName()))
                    .setAttribute("request.id", requestId)
                    .startSpan();
            context = parent.with(span);
        }
        CallScope scope = new CallScope(requestId, context, span);
        ServerCall<Q, R> answering = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(REQUEST_ID, requestId);
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                trailers.put(REQUEST_ID, requestId);
                scope.end(status);
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener = scope.call(() -> next.startCall(answering, headers));
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                scope.run(() -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                scope.run(super::onHalfClose);
            }

            @Override
            public void onCancel() {
                scope.run(super::onCancel);
                scope.end(Status.CANCELLED);
            }

            @Override
            public void onComplete() {
                scope.run(super::onComplete);
            }

            @Override
            public void onReady() {
                scope.run(super::onReady);
            }
        };
    }

    /** One call's ids and span, made current around each of its callbacks. */
    private static final class CallScope {
        private final String requestId;
        private final Context context;
        private final Span span;
        private final AtomicBoolean ended = new AtomicBoolean();

        CallScope(String requestId, Context context, Span span) {
            this.requestId = requestId;
            this.context = context;
            this.span = span;
        }

        <T> T call(Supplier<T> callback) {
            try (Scope current = context.makeCurrent();
                    RequestMdc mdc = RequestMdc.enter(requestId, span.getSpanContext())) {
                return callback.get();
            }
        }

        void run(Runnable callback) {
            call(() -> {
                callback.run();
                return null;
            });
        }

        void end(Status status) {
            if (ended.compareAndSet(false, true) && span.isRecording()) {
                span.setAttribute("rpc.grpc.status_code", status.getCode().value());
                if (!status.isOk()) {
                    span.setStatus(StatusCode.ERROR, status.getCode() + (status.getDescription() == null ? ""
                            : ": " + status.getDescription()));
                }
                span.end();
            }
        }
    }
}
