package dev.imageservice.processing;

import dev.imageservice.processing.codec.ByteSink;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoded answer held in pieces of one G1 heap region each (one region less the array's header),
 * instead of one array: a 16 MB PNG as one array is a "humongous" object that needs 16 contiguous
 * free regions, and when the heap has none G1 commits more heap for it rather than collect, which
 * is how 200 concurrent 12 MP requests made it commit all of {@code -Xmx} (docs/PERFORMANCE.md 5.6,
 * "Sixth pass"). A piece fills one region: it needs one free region and is never copied by a young
 * collection. Transports write the pieces one after the other; {@link #toArray()} joins them for
 * callers that need one array.
 *
 * <p>The region-sized arrays come from {@link RegionArrays} and go back to it with
 * {@link #recycle()}, which the transport calls once it has copied or written the last byte and
 * nothing refers to them any more (each one allocated anew started a G1 concurrent cycle now and
 * then, docs/PERFORMANCE.md 4.5.4). An answer that is not recycled is {@linkplain #settle() settled}
 * when its memory is released: its arrays are then left to the collector, as a writer that failed
 * may still hold them. A last piece under half a region (not humongous) is an array of its exact size.
 */
public final class OutputPieces {
    /** Pieces of this size: one G1 region less room for the array header, 256 KiB under other collectors. */
    public static final int PIECE_BYTES = RegionArrays.BYTES;

    /** One piece: the first {@code length} bytes of {@code array}. Do not change them. */
    public record Piece(byte[] array, int length) {
    }

    private enum State { LIVE, RECYCLED, SETTLED }

    private byte[][] arrays;
    private int lastLength;
    /** The first {@code pooled} arrays come from {@link RegionArrays} (all of them, or all but an exact last one). */
    private int pooled;
    /** The first {@code recycled} of them are given back already ({@link #recyclePiece(int)}). */
    private int recycled;
    private final int length;
    private State state = State.LIVE;

    private OutputPieces(byte[][] arrays, int lastLength, int pooled, int length) {
        this.arrays = arrays;
        this.lastLength = lastLength;
        this.pooled = pooled;
        this.length = length;
    }

    /** One array as one piece (no copy, not pooled). */
    public static OutputPieces of(byte[] whole) {
        return new OutputPieces(new byte[][] {whole}, whole.length, 0, whole.length);
    }

    /** A copy of {@code bytes[offset, offset + length)} in pieces of {@link #PIECE_BYTES}. */
    public static OutputPieces copyOf(byte[] bytes, int offset, int length) {
        Collector collector = new Collector();
        collector.write(bytes, offset, length);
        return collector.build();
    }

    /** The output's size in bytes. */
    public int length() {
        return length;
    }

    /** The pieces, in order (not copies: do not change them). */
    public synchronized List<Piece> pieces() {
        check();
        List<Piece> list = new ArrayList<>(arrays.length);
        for (int i = 0; i < arrays.length; i++) {
            list.add(new Piece(arrays[i], i == arrays.length - 1 ? lastLength : arrays[i].length));
        }
        return list;
    }

    /**
     * The output as one array. Joining copies it once, into one array that then replaces the pieces
     * (the memory held stays the output's size); a single exact piece is returned as it is. The
     * pieces joined are left to the collector (a transport may still be writing them).
     */
    public synchronized byte[] toArray() {
        check();
        if (arrays.length != 1 || lastLength != arrays[0].length) {
            byte[] whole = new byte[length];
            int offset = 0;
            for (Piece piece : pieces()) {
                System.arraycopy(piece.array(), 0, whole, offset, piece.length());
                offset += piece.length();
            }
            if (state == State.LIVE) {
                RegionArrays.forget(pooled);
            }
            pooled = 0;
            arrays = new byte[][] {whole};
            lastLength = length;
        }
        return arrays[0];
    }

    /**
     * Gives the region arrays back to {@link RegionArrays}: call it only when nothing refers to them
     * any more (every byte copied or written). The pieces cannot be read afterwards. Does nothing
     * once recycled or settled.
     */
    public synchronized void recycle() {
        if (state != State.LIVE) {
            return;
        }
        state = State.RECYCLED;
        for (int i = recycled; i < pooled; i++) {
            RegionArrays.give(arrays[i]);
        }
        pooled = 0;
        recycled = 0;
        arrays = null;
    }

    /**
     * Gives back piece {@code index}'s array once every byte of it has been copied or written, and
     * nothing refers to it any more: a writer that goes through the pieces in order calls this after
     * each, so the pool needs room for one answer, not two, while a transport copies it. Pieces are
     * given back in order only (an index out of turn does nothing), not at all once the answer is
     * settled, and the pieces cannot be listed or joined afterwards ({@link #length(int)} and
     * {@link #array(int)} of later pieces still work).
     */
    public synchronized void recyclePiece(int index) {
        if (state != State.LIVE || index != recycled || index >= pooled) {
            return;
        }
        RegionArrays.give(arrays[index]);
        arrays[index] = null;
        recycled++;
    }

    /** The number of pieces. */
    public synchronized int count() {
        return arrays == null ? 0 : arrays.length;
    }

    /** Piece {@code index}'s array (its first {@link #length(int)} bytes are the piece). */
    public synchronized byte[] array(int index) {
        byte[] array = arrays == null ? null : arrays[index];
        if (array == null) {
            throw new IllegalStateException("the answer's piece " + index + " was recycled");
        }
        return array;
    }

    /** Piece {@code index}'s length in bytes. */
    public synchronized int length(int index) {
        if (arrays == null) {
            throw new IllegalStateException("the answer's pieces were recycled");
        }
        return index == arrays.length - 1 ? lastLength : PIECE_BYTES;
    }

    /**
     * Ends this answer's use of the pool without giving its arrays back (they may still be read; the
     * collector takes them). Does nothing once recycled or settled.
     */
    public synchronized void settle() {
        if (state != State.LIVE) {
            return;
        }
        state = State.SETTLED;
        RegionArrays.forget(pooled - recycled);
        pooled = 0;
        recycled = 0;
    }

    private void check() {
        if (state == State.RECYCLED || recycled > 0) {
            throw new IllegalStateException("the answer's pieces were recycled");
        }
    }

    /** Collects what an encoder writes, in pieces; {@link #build()} once it is done, else {@link #discard()}. */
    public static final class Collector implements ByteSink {
        private final List<byte[]> arrays = new ArrayList<>();
        private int fill = PIECE_BYTES;
        private int length;

        @Override
        public void write(byte[] bytes, int offset, int count) {
            while (count > 0) {
                if (fill == PIECE_BYTES) {
                    arrays.add(RegionArrays.take());
                    fill = 0;
                }
                int n = Math.min(count, PIECE_BYTES - fill);
                System.arraycopy(bytes, offset, arrays.get(arrays.size() - 1), fill, n);
                fill += n;
                offset += n;
                count -= n;
                length += n;
            }
        }

        /** The pieces collected; a last piece under half a region is copied to an array of its size. */
        public OutputPieces build() {
            if (arrays.isEmpty()) {
                return of(new byte[0]);
            }
            int last = arrays.size() - 1;
            int pooled = arrays.size();
            if (fill < PIECE_BYTES / 2) {
                byte[] region = arrays.get(last);
                arrays.set(last, java.util.Arrays.copyOf(region, fill));
                RegionArrays.give(region);
                pooled--;
            }
            OutputPieces built = new OutputPieces(arrays.toArray(new byte[0][]), fill, pooled, length);
            arrays.clear();
            return built;
        }

        /** Gives back what was collected, when the encoder failed (nothing else refers to it). */
        public void discard() {
            arrays.forEach(RegionArrays::give);
            arrays.clear();
        }
    }
}
