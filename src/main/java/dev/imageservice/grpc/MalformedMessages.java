package dev.imageservice.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A request message that cannot be read (malformed protobuf, broken or over-large compressed
 * data) ends its call with INVALID_ARGUMENT, or RESOURCE_EXHAUSTED when it decompresses past the
 * size limit. Left to grpc-java, a parse failure ends as UNKNOWN "Application error processing
 * RPC" with an ERROR stack trace in the log, as if it were our bug.
 *
 * <p>How: each method's request parser is wrapped; a failure is noted for the thread (grpc-java
 * parses a message and hands it to the call's listener on the same thread, one after the other)
 * and the parser returns null, which the call's innermost listener turns into the status.
 */
public final class MalformedMessages {
    private static final ThreadLocal<Status> FAILURE = new ThreadLocal<>();

    private MalformedMessages() {
    }

    /** The service with every request message parsed this way. */
    public static ServerServiceDefinition guard(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> guarded = guard(method);
            descriptor.addMethod(guarded.getMethodDescriptor());
            methods.add(guarded);
        }
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(builder::addMethod);
        return builder.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> guard(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> original = method.getMethodDescriptor();
        MethodDescriptor<Q, R> descriptor = original.toBuilder()
                .setRequestMarshaller(new GuardedMarshaller<>(original.getRequestMarshaller())).build();
        ServerCallHandler<Q, R> handler = method.getServerCallHandler();
        return ServerMethodDefinition.create(descriptor, (call, headers) -> listen(call, headers, handler));
    }

    private static <Q, R> ServerCall.Listener<Q> listen(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean closed;

            @Override
            public void onMessage(Q message) {
                Status failure = FAILURE.get();
                if (message == null && failure != null) {
                    FAILURE.remove();
                    if (!closed) {
                        closed = true;
                        call.close(failure, new Metadata());
                    }
                    return;
                }
                if (!closed) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                if (!closed) {
                    super.onHalfClose();
                }
            }
        };
    }

    /** Parses as the original does; on failure notes the status and returns null. */
    private static final class GuardedMarshaller<T> implements MethodDescriptor.Marshaller<T> {
        private final MethodDescriptor.Marshaller<T> original;

        GuardedMarshaller(MethodDescriptor.Marshaller<T> original) {
            this.original = original;
        }

        @Override
        public InputStream stream(T value) {
            return original.stream(value);
        }

        @Override
        public T parse(InputStream stream) {
            try {
                FAILURE.remove();
                return original.parse(stream);
            } catch (StatusRuntimeException e) {
                FAILURE.set(e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED
                        ? Status.RESOURCE_EXHAUSTED.withDescription("the request message is too large once decompressed: "
                                + e.getStatus().getDescription())
                        : Status.INVALID_ARGUMENT.withDescription("the request is not a valid protobuf message"));
                return null;
            } catch (RuntimeException e) {
                FAILURE.set(Status.INVALID_ARGUMENT.withDescription("the request message cannot be read"));
                return null;
            }
        }
    }
}
