package dev.imageservice.grpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets the server cancel one of its own calls, even after the answer is handed to gRPC: the only
 * way to free the buffered answer of a client that stopped reading without closing the connection
 * that the call shares with others.
 *
 * <p>gRPC gives each call a context derived from the one this tracer returns, and resets the call's
 * HTTP/2 stream (the client sees CANCELLED) when that context is cancelled as timed out, as for a
 * deadline the client set ({@code ServerImpl}'s stream cancellation listener). The tracer gives
 * every image call a cancellable context of its own, so {@link #cancel} can do the same for a
 * timeout the server decides.
 */
final class CallCanceller extends ServerStreamTracer.Factory {
    private static final Context.Key<AtomicReference<Context.CancellableContext>> KEY = Context.key("call-canceller");
    private static final String IMAGE_METHODS = dev.imageservice.grpc.proto.ImageServiceGrpc.SERVICE_NAME + "/";

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        if (!fullMethodName.startsWith(IMAGE_METHODS)) {
            return NOTHING;
        }
        return new ServerStreamTracer() {
            @Override
            public Context filterContext(Context context) {
                AtomicReference<Context.CancellableContext> self = new AtomicReference<>();
                Context.CancellableContext cancellable = context.withValue(KEY, self).withCancellation();
                self.set(cancellable);
                return cancellable;
            }
        };
    }

    /**
     * Resets the call whose context is {@code context} (or a descendant of it), if it is still
     * open; gRPC then runs its cancel handlers. False when the call has no such context.
     */
    static boolean cancel(Context context, String reason) {
        AtomicReference<Context.CancellableContext> self = KEY.get(context);
        if (self == null || self.get() == null) {
            return false;
        }
        // A TimeoutException is what makes gRPC reset the stream rather than only mark it cancelled.
        return self.get().cancel(new TimeoutException(reason));
    }

    private static final ServerStreamTracer NOTHING = new ServerStreamTracer() {
    };
}
