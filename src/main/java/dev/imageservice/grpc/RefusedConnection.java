package dev.imageservice.grpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A connection refused by the connection limit, answered the HTTP/2 way instead of being closed
 * under the client: the server's SETTINGS at once, then, as soon as the client opens its first call
 * (or after {@link #WAIT_FOR_CALL_MILLIS}), a GOAWAY whose last stream id is 0 (no call on it was or
 * will be processed, so every call is safe to retry) with error code REFUSED_STREAM and the reason
 * as debug data. A grpc-java client retries such a refused call once by itself on a new connection,
 * then ends it with UNAVAILABLE "GOAWAY shut down transport ... debug data: &lt;reason&gt;"; a
 * closed socket would reach it as UNAVAILABLE "Connection reset" instead, and a GOAWAY before its
 * first call would only make it reconnect in a loop. Whatever the client sends is discarded; the
 * connection closes when the client closes it, or {@link #LINGER_MILLIS} after the GOAWAY.
 */
final class RefusedConnection extends ByteToMessageDecoder {
    /** How long a refused connection waits for the client's first call before it says GOAWAY anyway. */
    static final long WAIT_FOR_CALL_MILLIS = 250;
    /** How long a refused connection stays open after the GOAWAY, for its client to read it and close first. */
    static final long LINGER_MILLIS = 1000;
    private static final int FRAME_HEADER = 9;

    private final String reason;
    private boolean prefaceSkipped;
    private boolean goneAway;

    private RefusedConnection(String reason) {
        this.reason = reason;
    }

    /** Takes over a just-accepted connection that the limit refuses: registers it on {@code loop}. */
    static void refuse(Channel child, EventLoop loop, String reason) {
        child.pipeline().addLast(new RefusedConnection(reason));
        loop.register(child).addListener(registered -> {
            if (!registered.isSuccess()) {
                child.unsafe().closeForcibly();
            }
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        new DefaultHttp2FrameWriter().writeSettings(ctx, new Http2Settings(), ctx.newPromise());
        ctx.flush();
        ctx.executor().schedule(() -> goAway(ctx), WAIT_FOR_CALL_MILLIS, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (goneAway) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!prefaceSkipped) {
            int preface = Http2CodecUtil.connectionPrefaceBuf().readableBytes();
            if (in.readableBytes() < preface) {
                return;
            }
            in.skipBytes(preface);
            prefaceSkipped = true;
        }
        while (in.readableBytes() >= FRAME_HEADER) {
            int length = in.getUnsignedMedium(in.readerIndex());
            byte type = in.getByte(in.readerIndex() + 3);
            if (in.readableBytes() < FRAME_HEADER + length) {
                return;
            }
            in.skipBytes(FRAME_HEADER + length);
            if (type == Http2FrameTypes.HEADERS) {
                goAway(ctx);
                in.skipBytes(in.readableBytes());
                return;
            }
        }
    }

    private void goAway(ChannelHandlerContext ctx) {
        if (goneAway || !ctx.channel().isActive()) {
            return;
        }
        goneAway = true;
        new DefaultHttp2FrameWriter().writeGoAway(ctx, 0, Http2Error.REFUSED_STREAM.code(),
                ByteBufUtil.writeUtf8(ctx.alloc(), reason), ctx.newPromise());
        ctx.flush();
        ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the client: nothing to tell anyone
    }
}
