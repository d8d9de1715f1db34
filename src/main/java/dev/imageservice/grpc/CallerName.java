package dev.imageservice.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who a call comes from, for the fair shares of the admission queue: the name of its API key when
 * keys are on (set by the security interceptor), else its peer's IP address (all connections and
 * ports of one host are one client). Behind a proxy every call has the proxy's address: use API
 * keys to tell such clients apart.
 */
public final class CallerName {
    /** The caller's name in the gRPC context of its call. */
    public static final Context.Key<String> KEY = Context.key("image-service-client");

    private CallerName() {
    }

    /** The name of the current call's caller, "" when nothing named it. */
    public static String current() {
        String name = KEY.get();
        return name == null ? "" : name;
    }

    /**
     * Names each call by its peer's IP address unless an interceptor that ran before (API keys)
     * named it already. Put it in the list before (inside) that interceptor.
     */
    public static ServerInterceptor byPeerAddress() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                if (KEY.get() != null) {
                    return next.startCall(call, headers);
                }
                Context named = Context.current().withValue(KEY, peerAddress(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
                return Contexts.interceptCall(named, call, headers, next);
            }
        };
    }

    static String peerAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return address == null ? "" : address.toString(); // in-process: one name for the process
    }
}
