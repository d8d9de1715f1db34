package dev.imageservice.processing.codec;

import com.sun.jna.Memory;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Native memory a decoding thread keeps from image to image: the JPEG bytes handed to libjpeg-turbo
 * and the pixels it decodes into. Why: freshly mapped memory costs far more than the decode on a VM
 * that returns freed pages to its host (measured here: ~4 ms a MB to fault back in, 140 ms of a 12 MP
 * decode's 190), and JNA copies a {@code byte[]} argument into fresh native memory on every call.
 *
 * <p>Safe because a request decodes, transforms and encodes on one thread and releases every Mat
 * before its work ends (PipelineImageProcessor): a thread's pixels are reused only once the Mat last
 * handed out has been released. Bounded: pixels of at most {@link #MAX_PIXEL_BYTES} and inputs of at
 * most {@link #MAX_INPUT_BYTES} are kept, one of each per thread that decodes (the image workers);
 * larger images use fresh memory as before.
 */
final class ReusedNativeMemory {
    /**
     * Smaller images take fresh memory: a few pages. (glibc's malloc does not reliably keep freed
     * blocks of a few MB either: a 4 MP decode on fresh memory cost 60 ms more here.)
     */
    static final long MIN_PIXEL_BYTES = 1L << 20;
    /** 64 MiB: a 21 MP colour image. */
    static final long MAX_PIXEL_BYTES = 64L << 20;
    static final long MAX_INPUT_BYTES = 32L << 20;

    private static final ThreadLocal<ReusedNativeMemory> THREAD = ThreadLocal.withInitial(ReusedNativeMemory::new);

    private Memory input;
    /** A 1 x capacity byte Mat that owns the pixel memory; views of it are handed out. */
    private Mat pixels;
    private Mat lent;

    private ReusedNativeMemory() {
    }

    /** Whether a decode into {@code bytes} of pixels uses a thread's kept memory (when it is not lent). */
    static boolean keepsPixels(long bytes) {
        return bytes >= MIN_PIXEL_BYTES && bytes <= MAX_PIXEL_BYTES;
    }

    static ReusedNativeMemory forThisThread() {
        return THREAD.get();
    }

    /** The JPEG copied into this thread's native input buffer, or null if it is too large to keep one for. */
    Memory input(byte[] data) {
        if (data.length > MAX_INPUT_BYTES || data.length == 0) {
            return null;
        }
        if (input == null || input.size() < data.length) {
            if (input != null) {
                input.close();
            }
            input = new Memory(Math.min(MAX_INPUT_BYTES, Math.max(1L << 20, Long.highestOneBit(data.length) << 1)));
        }
        input.write(0, data, 0, data.length);
        return input;
    }

    /**
     * A {@code rows x cols} 8-bit Mat of {@code channels} on this thread's kept pixel memory, or a
     * new Mat of its own when the size is outside the kept range or the last one is still in use.
     * The caller releases it as any Mat.
     */
    Mat pixels(int rows, int cols, int channels) {
        long bytes = (long) rows * cols * channels;
        int type = CvType.makeType(CvType.CV_8U, channels);
        if (bytes < MIN_PIXEL_BYTES || bytes > MAX_PIXEL_BYTES || (lent != null && !lent.empty())) {
            return new Mat(rows, cols, type);
        }
        if (pixels == null || pixels.cols() < bytes) {
            if (pixels != null) {
                pixels.release();
            }
            pixels = new Mat(1, (int) bytes, CvType.CV_8UC1);
        }
        Mat range = pixels.colRange(0, (int) bytes);
        try {
            lent = range.reshape(channels, rows);
        } finally {
            range.release();
        }
        return lent;
    }
}
