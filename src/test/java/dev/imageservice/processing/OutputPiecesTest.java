package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputPiecesTest {
    private static final int PIECE = OutputPieces.PIECE_BYTES;

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void piecesAreOneRegionEachTheLastExactWhenSmall() {
        byte[] bytes = random(3 * PIECE + 1234);
        OutputPieces pieces = OutputPieces.copyOf(bytes, 0, bytes.length);

        assertThat(pieces.length()).isEqualTo(bytes.length);
        assertThat(pieces.pieces()).extracting(OutputPieces.Piece::length).containsExactly(PIECE, PIECE, PIECE, 1234);
        assertThat(pieces.pieces()).extracting(piece -> piece.array().length).containsExactly(PIECE, PIECE, PIECE, 1234);
        assertThat(pieces.toArray()).isEqualTo(bytes);

        // A last piece of half a region or more is a whole region array of the pool, partly filled.
        byte[] large = random(PIECE + PIECE / 2 + 1);
        OutputPieces halves = OutputPieces.copyOf(large, 0, large.length);
        assertThat(halves.pieces()).extracting(OutputPieces.Piece::length).containsExactly(PIECE, PIECE / 2 + 1);
        assertThat(halves.pieces()).extracting(piece -> piece.array().length).containsExactly(PIECE, PIECE);
        assertThat(halves.toArray()).isEqualTo(large);
    }

    @Test
    void underG1APieceFillsOneRegion() {
        var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        if (Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
            assertThat(PIECE).isEqualTo(Integer.parseInt(vm.getVMOption("G1HeapRegionSize").getValue()) - 64);
        } else {
            assertThat(PIECE).isEqualTo(256 * 1024);
        }
    }

    @Test
    void collectsManyWritesAsOneWriteWould() {
        byte[] bytes = random(2 * PIECE + 999);
        OutputPieces.Collector collector = new OutputPieces.Collector();
        collector.write(bytes, 0, 10); // an exact first piece, reopened by the next write
        for (int offset = 10; offset < bytes.length; offset += 300_001) {
            collector.write(bytes, offset, Math.min(300_001, bytes.length - offset));
        }
        OutputPieces pieces = collector.build();

        assertThat(pieces.length()).isEqualTo(bytes.length);
        assertThat(pieces.pieces()).extracting(OutputPieces.Piece::length).containsExactly(PIECE, PIECE, 999);
        assertThat(pieces.toArray()).isEqualTo(bytes);
    }

    @Test
    void oneArrayIsOnePieceAndJoiningIsDoneOnce() {
        byte[] small = random(100);
        assertThat(OutputPieces.of(small).toArray()).isSameAs(small);

        OutputPieces pieces = OutputPieces.copyOf(random(PIECE + 1), 0, PIECE + 1);
        byte[] joined = pieces.toArray();
        assertThat(pieces.toArray()).isSameAs(joined);
        assertThat(pieces.pieces()).extracting(OutputPieces.Piece::array).containsExactly(joined); // the pieces are let go once joined
        assertThat(new OutputPieces.Collector().build().length()).isZero();
    }

    @Test
    void recyclingGivesTheRegionArraysBackAndEndsTheAnswer() {
        long inUse = RegionArrays.inUse();
        byte[] bytes = random(2 * PIECE + 10);
        OutputPieces pieces = OutputPieces.copyOf(bytes, 0, bytes.length);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 2); // the exact last piece is not the pool's
        int idle = RegionArrays.idle();

        pieces.recycle();
        assertThat(RegionArrays.idle()).isEqualTo(Math.min(idle + 2, RegionArrays.MAX_IDLE));
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        assertThatThrownBy(pieces::pieces).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(pieces::toArray).isInstanceOf(IllegalStateException.class);
        pieces.recycle(); // once only
        pieces.settle();
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
    }

    @Test
    void piecesAreRecycledInOrderOnlyAndNotAfterSettling() {
        long inUse = RegionArrays.inUse();
        byte[] bytes = random(3 * PIECE);
        OutputPieces pieces = OutputPieces.copyOf(bytes, 0, bytes.length);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 3);

        pieces.recyclePiece(1); // out of turn: nothing
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 3);
        pieces.recyclePiece(0);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 2);
        assertThatThrownBy(() -> pieces.array(0)).isInstanceOf(IllegalStateException.class);
        assertThat(pieces.array(1)).hasSize(PIECE);
        assertThat(pieces.length(2)).isEqualTo(PIECE);
        assertThatThrownBy(pieces::toArray).isInstanceOf(IllegalStateException.class);

        pieces.settle(); // the rest is left to the collector, and still readable
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        pieces.recyclePiece(1);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        assertThat(java.util.Arrays.copyOfRange(pieces.array(2), 0, PIECE))
                .isEqualTo(java.util.Arrays.copyOfRange(bytes, 2 * PIECE, 3 * PIECE));
    }

    @Test
    void settlingOrJoiningLeavesThePiecesReadable() {
        long inUse = RegionArrays.inUse();
        byte[] bytes = random(PIECE + PIECE / 2 + 7);
        OutputPieces settled = OutputPieces.copyOf(bytes, 0, bytes.length);
        settled.settle();
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        assertThat(settled.toArray()).isEqualTo(bytes);

        OutputPieces joined = OutputPieces.copyOf(bytes, 0, bytes.length);
        assertThat(joined.toArray()).isEqualTo(bytes);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse); // joined: the pieces are no longer the pool's
        joined.recycle();
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
    }

    @Test
    void aDiscardedCollectionGoesBack() {
        long inUse = RegionArrays.inUse();
        OutputPieces.Collector collector = new OutputPieces.Collector();
        collector.write(random(PIECE + 5), 0, PIECE + 5);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 2);
        collector.discard();
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
    }
}
