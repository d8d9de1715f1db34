package dev.imageservice.processing.codec;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few calls of libjpeg-turbo's TurboJPEG 2.x API that the fast decoder needs, bound through
 * JNA's direct mapping to Debian's {@code libturbojpeg.so.0} (package {@code libturbojpeg0}), which
 * is built with SIMD. Where the library is missing, {@link #load()} says why and the service keeps
 * its slower path.
 *
 * <p>Decompressor handles are pooled: taking one is a lock-free poll, and each request thread uses
 * one at a time. The pool never holds more handles than threads ever decoded at once.
 */
final class TurboJpeg {
    static final String LIBRARY = "libturbojpeg.so.0";

    static final int PF_BGR = 1;
    static final int PF_GRAY = 6;
    static final int CS_RGB = 0;
    static final int CS_YCBCR = 1;
    static final int CS_GRAY = 2;
    static final int FLAG_STOPONWARNING = 8192;
    /** Refuses progressive JPEGs of more than 500 scans (a CPU bomb of many tiny scans). */
    static final int FLAG_LIMITSCANS = 32768;
    static final int ERR_WARNING = 0;

    private static final Optional<String> PROBLEM = bind();
    private static final ConcurrentLinkedQueue<Pointer> HANDLES = new ConcurrentLinkedQueue<>();
    private static final int MAX_POOLED = 256;
    private static final AtomicInteger POOLED = new AtomicInteger();

    private TurboJpeg() {
    }

    /** Empty if the library is bound and answers; otherwise why it is not used. */
    static Optional<String> load() {
        return PROBLEM;
    }

    static boolean available() {
        return PROBLEM.isEmpty();
    }

    private static Optional<String> bind() {
        if (Native.LONG_SIZE != 8) {
            return Optional.of("TurboJPEG binding needs a 64-bit C long (LP64)");
        }
        try {
            Native.register(TurboJpeg.class, NativeLibrary.getInstance(LIBRARY));
            Pointer handle = tjInitDecompress();
            if (handle == null) {
                return Optional.of(LIBRARY + " did not create a decompressor");
            }
            tjDestroy(handle);
            return Optional.empty();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalStateException e) {
            // e.g. "Unable to load library 'libturbojpeg.so.0'": the package is not installed.
            String message = String.valueOf(e.getMessage());
            int newline = message.indexOf('\n');
            return Optional.of((newline < 0 ? message : message.substring(0, newline)).trim());
        }
    }

    /** A decompressor handle for this thread's use; give it back with {@link #release}. */
    static Pointer acquire() {
        Pointer handle = HANDLES.poll();
        if (handle != null) {
            POOLED.decrementAndGet();
            return handle;
        }
        handle = tjInitDecompress();
        if (handle == null) {
            throw new OutOfMemoryError("TurboJPEG could not create a decompressor");
        }
        return handle;
    }

    /**
     * Gives a handle back. A handle whose last call failed is destroyed instead: TurboJPEG 2.1 can
     * leave libjpeg mid-header after an error, and the next call on it would fail with
     * "Improper call to JPEG library in state ...".
     */
    static void release(Pointer handle, boolean clean) {
        if (!clean) {
            tjDestroy(handle);
            return;
        }
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            HANDLES.offer(handle);
        } else {
            POOLED.decrementAndGet();
            tjDestroy(handle);
        }
    }

    /** The library's last message for this handle, e.g. "Premature end of JPEG file". */
    static String error(Pointer handle) {
        Pointer text = tjGetErrorStr2(handle);
        return text == null ? "unknown TurboJPEG error" : text.getString(0, "US-ASCII");
    }

    static native Pointer tjInitDecompress();

    static native int tjDecompressHeader3(Pointer handle, byte[] jpeg, long size, int[] width, int[] height,
            int[] subsampling, int[] colorspace);

    /** The same with the JPEG in native memory: JNA copies a byte[] argument into fresh memory per call. */
    static native int tjDecompressHeader3(Pointer handle, Pointer jpeg, long size, int[] width, int[] height,
            int[] subsampling, int[] colorspace);

    static native int tjDecompress2(Pointer handle, Pointer jpeg, long size, long destination, int width, int pitch,
            int height, int pixelFormat, int flags);

    /** {@code destination} is a native address (a Mat's data): the pixels are written straight there. */
    static native int tjDecompress2(Pointer handle, byte[] jpeg, long size, long destination, int width, int pitch,
            int height, int pixelFormat, int flags);

    static native int tjGetErrorCode(Pointer handle);

    static native Pointer tjGetErrorStr2(Pointer handle);

    static native int tjDestroy(Pointer handle);
}
