package dev.imageservice.processing;

import dev.imageservice.processing.codec.ByteSink;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoded answer held in pieces of one G1 heap region each (one region less the array's header),
 * instead of one array: a 16 MB PNG as one array is a "humongous" object that needs 16 contiguous
 * free regions, and when the heap has none G1 commits more heap for it rather than collect, which
 * is how 200 concurrent 12 MP requests made it commit all of {@code -Xmx} (docs/PERFORMANCE.md 5.6,
 * "Sixth pass"). A piece fills one region: it needs one free region, is never copied by a young
 * collection, and is given back at the first collection after the answer is written. Transports
 * write the pieces one after the other; {@link #toArray()} joins them for callers that need one array.
 */
public final class OutputPieces {
    /** Pieces of this size: one G1 region less room for the array header, 256 KiB under other collectors. */
    public static final int PIECE_BYTES = pieceBytes();

    private byte[][] pieces;
    private final int length;

    private OutputPieces(byte[][] pieces, int length) {
        this.pieces = pieces;
        this.length = length;
    }

    /** One array as one piece (no copy). */
    public static OutputPieces of(byte[] whole) {
        return new OutputPieces(new byte[][] {whole}, whole.length);
    }

    /** A copy of {@code bytes[offset, offset + length)} in pieces of {@link #PIECE_BYTES}, the last one exact. */
    public static OutputPieces copyOf(byte[] bytes, int offset, int length) {
        int count = Math.max(1, (int) ((length + (long) PIECE_BYTES - 1) / PIECE_BYTES));
        byte[][] pieces = new byte[count][];
        for (int i = 0; i < count; i++) {
            int from = offset + i * PIECE_BYTES;
            int size = Math.min(PIECE_BYTES, length - i * PIECE_BYTES);
            pieces[i] = new byte[size];
            System.arraycopy(bytes, from, pieces[i], 0, size);
        }
        return new OutputPieces(pieces, length);
    }

    /** The output's size in bytes. */
    public int length() {
        return length;
    }

    /** The pieces, in order (not copies: do not change them). */
    public synchronized List<byte[]> pieces() {
        return List.of(pieces);
    }

    /**
     * The output as one array. Joining copies it once, into one array that then replaces the pieces
     * (the memory held stays the output's size); a single piece is returned as it is.
     */
    public synchronized byte[] toArray() {
        if (pieces.length != 1) {
            byte[] whole = new byte[length];
            int offset = 0;
            for (byte[] piece : pieces) {
                System.arraycopy(piece, 0, whole, offset, piece.length);
                offset += piece.length;
            }
            pieces = new byte[][] {whole};
        }
        return pieces[0];
    }

    /** Collects what an encoder writes, in pieces; {@link #build()} once it is done. */
    public static final class Collector implements ByteSink {
        private final List<byte[]> pieces = new ArrayList<>();
        private int length;
        private int lastFill = PIECE_BYTES;

        @Override
        public void write(byte[] bytes, int offset, int count) {
            if (length == 0 && pieces.isEmpty()) { // the usual case, one write: exact pieces at once
                OutputPieces whole = copyOf(bytes, offset, count);
                pieces.addAll(List.of(whole.pieces));
                length = count;
                lastFill = pieces.get(pieces.size() - 1).length == PIECE_BYTES ? PIECE_BYTES : -1;
                return;
            }
            if (lastFill < 0) { // the last piece was exact: reopen it at full size
                byte[] last = pieces.remove(pieces.size() - 1);
                byte[] full = new byte[PIECE_BYTES];
                System.arraycopy(last, 0, full, 0, last.length);
                pieces.add(full);
                lastFill = last.length;
            }
            while (count > 0) {
                if (lastFill == PIECE_BYTES) {
                    pieces.add(new byte[PIECE_BYTES]);
                    lastFill = 0;
                }
                int n = Math.min(count, PIECE_BYTES - lastFill);
                System.arraycopy(bytes, offset, pieces.get(pieces.size() - 1), lastFill, n);
                lastFill += n;
                offset += n;
                count -= n;
                length += n;
            }
        }

        /** The pieces collected, the last one cut to its exact size. */
        public OutputPieces build() {
            if (pieces.isEmpty()) {
                return of(new byte[0]);
            }
            int last = pieces.size() - 1;
            if (lastFill >= 0 && lastFill < pieces.get(last).length) {
                pieces.set(last, java.util.Arrays.copyOf(pieces.get(last), lastFill));
            }
            return new OutputPieces(pieces.toArray(new byte[0][]), length);
        }
    }

    private static int pieceBytes() {
        try {
            var vm = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                if (region >= (1 << 20) && region <= (64 << 20)) {
                    return (int) region - 64;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot: the portable size below
        }
        return 256 * 1024;
    }
}
