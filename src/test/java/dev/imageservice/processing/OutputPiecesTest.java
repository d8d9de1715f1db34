package dev.imageservice.processing;

import static org.assertj.core.api.Assertions.assertThat;

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
    void piecesAreOneRegionEachTheLastExact() {
        byte[] bytes = random(3 * PIECE + 1234);
        OutputPieces pieces = OutputPieces.copyOf(bytes, 0, bytes.length);

        assertThat(pieces.length()).isEqualTo(bytes.length);
        assertThat(pieces.pieces()).extracting(piece -> piece.length).containsExactly(PIECE, PIECE, PIECE, 1234);
        assertThat(pieces.toArray()).isEqualTo(bytes);
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
        assertThat(pieces.pieces()).extracting(piece -> piece.length).containsExactly(PIECE, PIECE, 999);
        assertThat(pieces.toArray()).isEqualTo(bytes);
    }

    @Test
    void oneArrayIsOnePieceAndJoiningIsDoneOnce() {
        byte[] small = random(100);
        assertThat(OutputPieces.of(small).toArray()).isSameAs(small);

        OutputPieces pieces = OutputPieces.copyOf(random(PIECE + 1), 0, PIECE + 1);
        byte[] joined = pieces.toArray();
        assertThat(pieces.toArray()).isSameAs(joined);
        assertThat(pieces.pieces()).containsExactly(joined); // the pieces are let go once joined
        assertThat(new OutputPieces.Collector().build().length()).isZero();
    }
}
