package dev.imageservice.ops;

import com.codahale.metrics.MetricRegistry;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
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

    public GrpcMetricsInterceptor(MetricRegistry metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        CallRecord record = new CallRecord(call.getMethodDescriptor().getFullMethodName(), System.nanoTime());
        ServerCall<Q, R> recorded = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
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
            public void onCancel() {
                record.end(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    private final class CallRecord {
        private final String method;
        private final long startNanos;
        private final AtomicBoolean ended = new AtomicBoolean();

        CallRecord(String method, long startNanos) {
            this.method = method;
            this.startNanos = startNanos;
        }

        void end(Status.Code code) {
            if (ended.compareAndSet(false, true)) {
                metrics.timer(MetricNames.grpcCalls(method)).update(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
                metrics.meter(MetricNames.grpcHandled(method, code.name())).mark();
            }
        }
    }
}
