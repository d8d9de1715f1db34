package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.processing.OutputPieces;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class HeapFramingAllocatorTest {
    private final HeapFramingAllocator allocator = new HeapFramingAllocator(PooledByteBufAllocator.DEFAULT, 4096);

    @Test
    void framesIntoHeapBuffersOfAtMostTheCap() {
        // What grpc-java's framer asks for a large message: buffer(1 MiB, 1 MiB), then fills what is writable.
        ByteBuf frame = allocator.buffer(1 << 20, 1 << 20);
        try {
            assertThat(frame.isDirect()).isFalse();
            assertThat(frame.hasArray()).isTrue();
            assertThat(frame.capacity()).isEqualTo(4096);
            assertThat(frame.writableBytes()).isEqualTo(4096);
            assertThat(frame.maxCapacity()).isEqualTo(1 << 20);
            assertThat(frame.alloc()).isSameAs(allocator);
        } finally {
            frame.release();
        }
        ByteBuf small = allocator.buffer(100, 100);
        try {
            assertThat(small.capacity()).isEqualTo(100);
            small.writeZero(100);
            assertThat(small.writableBytes()).isZero();
        } finally {
            small.release();
        }
    }

    @Test
    void socketBuffersStayPooledAndDirect() {
        assertThat(allocator.isDirectBufferPooled()).isTrue();
        ByteBuf read = allocator.ioBuffer(65536);
        ByteBuf write = allocator.directBuffer(16384);
        try {
            assertThat(read.isDirect()).isTrue();
            assertThat(write.isDirect()).isTrue();
            assertThat(write.capacity()).isEqualTo(16384);
        } finally {
            read.release();
            write.release();
        }
    }

    @Test
    void theServersAllocatorCapsAtOneRegionPiece() {
        ByteBuf frame = HeapFramingAllocator.create().buffer(1 << 20, 1 << 20);
        try {
            assertThat(frame.capacity()).isEqualTo(Math.min(1 << 20, OutputPieces.PIECE_BYTES));
            assertThat(frame.isDirect()).isFalse();
        } finally {
            frame.release();
        }
    }
}
