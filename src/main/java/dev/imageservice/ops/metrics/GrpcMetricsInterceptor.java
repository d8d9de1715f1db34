package dev.imageservice.ops.metrics;

import com.codahale.metrics.MetricRegistry;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times every gRPC call and counts it by method and final status code. A call ends either when the
 * server closes it (any status, including errors the service reports) or when the client cancels
 * it or its deadline passes first (counted as CANCELLED); whichever comes first is recorded, once.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
    private final MetricRegistry metrics;
    private final PrometheusMetrics prometheus;

    public GrpcMetricsInterceptor(MetricRegistry metrics) {
        this(metrics, new PrometheusMetrics());
    }

    public GrpcMetricsInterceptor(MetricRegistry metrics, PrometheusMetrics prometheus) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        String[] labels = {type(method.getType()), String.valueOf(method.getServiceName()),
                String.valueOf(method.getBareMethodName())};
        prometheus.grpcStarted.labels(labels).inc();
        CallRecord record = new CallRecord(method.getFullMethodName(), labels, System.nanoTime());
        ServerCall<Q, R> recorded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                prometheus.grpcSent.labels(labels).inc();
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                // Recorded before the status leaves, so a client that reads the metrics right after
                // its call returned sees that call counted.
                record.end(status.getCode());
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(recorded, headers)) {
            @Override
            public void onMessage(Q message) {
                prometheus.grpcReceived.labels(labels).inc();
                super.onMessage(message);
            }

            @Override
            public void onCancel() {
                record.end(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    /** The grpc_type label of go-grpc-prometheus. */
    static String type(MethodDescriptor.MethodType type) {
        switch (type) {
            case UNARY:
                return "unary";
            case CLIENT_STREAMING:
                return "client_stream";
            case SERVER_STREAMING:
                return "server_stream";
            case BIDI_STREAMING:
                return "bidi_stream";
            default:
                return "unknown";
        }
    }

    private final class CallRecord {
        private final String method;
        private final String[] labels;
        private final long startNanos;
        private final AtomicBoolean ended = new AtomicBoolean();

        CallRecord(String method, String[] labels, long startNanos) {
            this.method = method;
            this.labels = labels;
            this.startNanos = startNanos;
        }

        void end(Status.Code code) {
            if (ended.compareAndSet(false, true)) {
                long nanos = System.nanoTime() - startNanos;
                metrics.timer(MetricNames.grpcCalls(method)).update(nanos, TimeUnit.NANOSECONDS);
                metrics.meter(MetricNames.grpcHandled(method, code.name())).mark();
                prometheus.grpcHandlingSeconds.labels(labels).observe(nanos / 1e9);
                prometheus.grpcHandled.labels(labels[0], labels[1], labels[2], code.name()).inc();
            }
        }
    }
}
