package dev.imageservice.grpc;

import dev.imageservice.processing.OutputPieces;
import dev.imageservice.processing.RegionArrays;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeHeapByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * The buffer allocator of the gRPC connections: messages are framed into heap buffers of at most
 * one G1 region each, socket I/O uses pooled direct buffers.
 *
 * <p>Why: grpc-java frames an answer by copying all of it at once into buffers from the connection's
 * allocator ({@code buffer()}, 1 MiB each), which wait in Netty until HTTP/2 flow control lets them
 * out. With grpc-java's pooled direct allocator, the answers being written held 95-110 MiB of
 * native memory under 200 concurrent 12 MP calls, outside {@code -Xmx} and beside the heap the
 * answers were counted in. Framed on the heap, they stay inside {@code -Xmx} (the budget counts them
 * until written); the HTTP/2 frames (16 KiB) are copied to a pooled direct buffer only as the
 * socket takes them, so the direct memory stays the few frames being written. Each buffer is one
 * region's size ({@link OutputPieces#PIECE_BYTES}), for the reasons {@link OutputPieces} gives; those
 * of more than half a region (humongous under G1 anyway) are the {@link RegionArrays} pool's arrays,
 * given back when Netty frees the buffer.
 */
final class HeapFramingAllocator extends AbstractByteBufAllocator {
    private final ByteBufAllocator direct;
    private final int maxHeapBuffer;

    /**
     * @param direct        where direct buffers (socket reads, frames being written) come from
     * @param maxHeapBuffer heap buffers start at most this large (they may grow up to their maximum)
     */
    HeapFramingAllocator(ByteBufAllocator direct, int maxHeapBuffer) {
        super(false);
        this.direct = direct;
        this.maxHeapBuffer = maxHeapBuffer;
    }

    /** Direct buffers from Netty's shared pool, heap buffers of at most one G1 region. */
    static HeapFramingAllocator create() {
        return new HeapFramingAllocator(io.netty.buffer.PooledByteBufAllocator.DEFAULT, OutputPieces.PIECE_BYTES);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        // grpc-java asks for buffer(n, n) and fills what is writable: a smaller start is a smaller frame.
        int capacity = Math.min(initialCapacity, maxHeapBuffer);
        if (maxHeapBuffer == RegionArrays.BYTES && capacity > RegionArrays.BYTES / 2) {
            // Humongous anyway: one of the pool's region arrays (a fuller frame than asked is fine).
            return new RegionBuffer(this, Math.max(maxCapacity, RegionArrays.BYTES));
        }
        return PlatformDependent.hasUnsafe() ? new UnpooledUnsafeHeapByteBuf(this, capacity, maxCapacity)
                : new UnpooledHeapByteBuf(this, capacity, maxCapacity);
    }

    /**
     * A heap buffer on one of {@link RegionArrays}' arrays, given back when Netty frees it: when its
     * reference count (shared by its slices, the HTTP/2 frames) reaches 0, once the socket has taken
     * its bytes or the stream is gone. Netty frees an array once; a buffer that grows past a region
     * gives its region array back then.
     */
    static final class RegionBuffer extends UnpooledHeapByteBuf {
        RegionBuffer(ByteBufAllocator alloc, int maxCapacity) {
            super(alloc, RegionArrays.BYTES, maxCapacity);
        }

        @Override
        protected byte[] allocateArray(int initialCapacity) {
            // Called by the constructor too: only static state may be used here.
            return initialCapacity == RegionArrays.BYTES ? RegionArrays.take() : new byte[initialCapacity];
        }

        @Override
        protected void freeArray(byte[] array) {
            if (array.length == RegionArrays.BYTES) {
                RegionArrays.give(array);
            }
        }
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return direct.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return direct.isDirectBufferPooled();
    }
}
