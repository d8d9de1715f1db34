package dev.imageservice.grpc;

import io.netty.handler.codec.http2.Http2Exception;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops grpc-java's WARNING "Stream Error" with a stack trace that follows every stream the server
 * resets while answer bytes are still queued for it ("Stream closed before write could take place",
 * one per queued write): a client that stopped reading has its call reset on purpose
 * ({@link UnaryImageCall}'s stall check, which logs one INFO line for it). Every other record of that
 * logger is kept.
 */
final class QuietStreamResets implements Filter {
    static final String LOGGER = "io.grpc.netty.NettyServerHandler";
    /** Held so that the logger, and with it the filter, is not collected (JUL keeps loggers weakly). */
    private static final Logger NETTY_SERVER_HANDLER = Logger.getLogger(LOGGER);

    private QuietStreamResets() {
    }

    /** Puts the filter on grpc-java's Netty server handler logger (idempotent). */
    static void install() {
        if (!(NETTY_SERVER_HANDLER.getFilter() instanceof QuietStreamResets)) {
            NETTY_SERVER_HANDLER.setFilter(new QuietStreamResets());
        }
    }

    static Filter installed() {
        return NETTY_SERVER_HANDLER.getFilter();
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        return !(thrown instanceof Http2Exception.StreamException
                && thrown.getMessage() != null
                && thrown.getMessage().startsWith("Stream closed before write could take place"));
    }
}
