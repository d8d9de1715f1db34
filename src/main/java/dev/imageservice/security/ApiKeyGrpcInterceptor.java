package dev.imageservice.security;

import com.codahale.metrics.MetricRegistry;
import dev.imageservice.ops.metrics.MetricNames;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.Set;

/**
 * Image calls need {@code authorization: Bearer <key>} with a key of {@link ApiKeys}; others are
 * ended with UNAUTHENTICATED before any message is read. Health and reflection stay open. The
 * key's name is the call's {@link #CLIENT} in the gRPC context and its {@code client} in the log.
 */
public final class ApiKeyGrpcInterceptor implements ServerInterceptor {
    /** The name of the caller's key, for the code that runs the call. */
    public static final Context.Key<String> CLIENT = dev.imageservice.grpc.CallerName.KEY;
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final String REFUSAL = "a valid API key is required: send the metadata 'authorization: Bearer <key>'";

    private final ApiKeys keys;
    private final Set<String> protectedServices;
    private final MetricRegistry metrics;

    public ApiKeyGrpcInterceptor(ApiKeys keys, Set<String> protectedServices, MetricRegistry metrics) {
        this.keys = keys;
        this.protectedServices = Set.copyOf(protectedServices);
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!protectedServices.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        Optional<String> name = keys.nameOfBearer(headers.get(AUTHORIZATION));
        if (name.isEmpty()) {
            metrics.meter(MetricNames.API_KEY_REFUSED).mark();
            call.close(Status.UNAUTHENTICATED.withDescription(REFUSAL), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        String client = name.get();
        metrics.meter(MetricNames.apiKeyAccepted(client)).mark();
        Context context = Context.current().withValue(CLIENT, client);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, call, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                ClientIdentity.withName(client, () -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                ClientIdentity.withName(client, super::onHalfClose);
            }

            @Override
            public void onCancel() {
                ClientIdentity.withName(client, super::onCancel);
            }

            @Override
            public void onComplete() {
                ClientIdentity.withName(client, super::onComplete);
            }

            @Override
            public void onReady() {
                ClientIdentity.withName(client, super::onReady);
            }
        };
    }
}
