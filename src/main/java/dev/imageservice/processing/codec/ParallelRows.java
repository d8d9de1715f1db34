package dev.imageservice.processing.codec;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Codes one image's rows as independent deflate parts on the calling thread plus lent threads
 * (pigz-style): each part starts a fresh block at a row boundary, ends byte-aligned with an empty
 * stored block, and carries the Adler-32 of its filtered bytes, so that parts concatenate into one
 * zlib stream. Parts are taken in order from a shared counter (work stealing): the caller never
 * waits for a helper that has not started, only for parts already being coded.
 *
 * <p>Where the image is cut depends on its shape only ({@link #parts}, {@link #rowsPerPart}), and a
 * part's bytes do not depend on where they are written, so an image coded in parts on one thread
 * ({@link #codePart} into the output itself) is the same PNG byte for byte.
 */
final class ParallelRows {
    /** Images of more filtered bytes than this are worth coding in parts (a few ms of work each). */
    static final int MIN_PARALLEL_BYTES = 2 << 20;
    /**
     * Filtered bytes per part: small enough that a part's output buffer, even grown once, stays under
     * half a G1 region (512 KiB at the smallest region size), so it is an ordinary young object.
     * Parts of 2 MiB had buffers of 1.5-2.3 MB: "humongous" objects, two or three per part, each of
     * which could start a G1 concurrent cycle (~50 per 12 MP image one at a time, docs/PERFORMANCE.md 4.5.4).
     */
    static final int PART_BYTES = 384 << 10;
    /** At most this many lent threads per image. */
    static final int MAX_HELPERS = 3;

    /** One part's deflate data ({@code data[0, size)}), the Adler-32 and length of its filtered bytes. */
    record Part(byte[] data, int size, int adler, long filteredLength) {
    }

    private ParallelRows() {
    }

    /** How many parts an image of these rows is worth cutting into (1: not worth it). */
    static int parts(int height, int rowBytes) {
        long filtered = (long) height * (rowBytes + 1);
        if (filtered <= MIN_PARALLEL_BYTES) {
            return 1;
        }
        return (int) Math.min(height, (filtered + PART_BYTES - 1) / PART_BYTES);
    }

    /**
     * Codes rows in {@code parts} parts with {@code helpers} lent threads besides the caller. Returns
     * only once every part that was started is finished: helpers read the caller's image.
     */
    static Part[] code(RowCoder rows, int parts, int helpers, SpareThreads spare) {
        int height = rows.height();
        int rowsPerPart = rowsPerPart(rows, parts);
        int count = (height + rowsPerPart - 1) / rowsPerPart;
        Part[] done = new Part[count];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            RowCoder.Strips strips = null;
            for (int k = next.getAndIncrement(); k < count; k = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        strips = strips == null ? rows.strips() : strips;
                        done[k] = codePart(rows, k * rowsPerPart, Math.min(height, (k + 1) * rowsPerPart), k == count - 1, strips);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    finished.countDown();
                }
            }
        };
        for (int i = 0; i < helpers; i++) {
            try {
                spare.execute(worker);
            } catch (RuntimeException rejected) {
                break; // e.g. the executor is shutting down: the caller codes the rest itself
            }
        }
        worker.run();
        awaitUninterruptibly(finished);
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return done;
    }

    /**
     * Rows in every part but the last when {@code rows} are cut into about {@code parts}: whole strips,
     * so that a part adds no short block of its own (each block carries a Huffman table).
     */
    static int rowsPerPart(RowCoder rows, int parts) {
        int rowsPerPart = (rows.height() + parts - 1) / parts;
        int strip = rows.rowsPerStrip();
        return (int) Math.min(rows.height(), ((long) rowsPerPart + strip - 1) / strip * strip);
    }

    private static Part codePart(RowCoder rows, int y0, int y1, boolean last, RowCoder.Strips strips) {
        long filtered = (long) (y1 - y0) * (rows.rowBytes() + 1);
        OutputBytes out = new OutputBytes((int) Math.min(Integer.MAX_VALUE - 16, filtered * 3 / 4 + 4096));
        int adler = codePart(rows, y0, y1, last, out, strips);
        return new Part(out.data, out.size, adler, filtered);
    }

    /** Codes rows {@code [y0, y1)} as one part at the end of {@code out}; returns their Adler-32. */
    static int codePart(RowCoder rows, int y0, int y1, boolean last, OutputBytes out, RowCoder.Strips strips) {
        DeflateCoder coder = new DeflateCoder(out);
        rows.code(y0, y1, coder, last, length -> { }, strips);
        coder.finishPart(last);
        return coder.adler();
    }

    // Helpers read the image the caller releases after we return: never return before they are done.
    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
