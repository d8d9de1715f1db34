package dev.imageservice.http;

import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessingException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A request body of known length ({@code Content-Length}), read in two steps: the head when the
 * processor checks the header (counted against the budget's input share), the rest only once the
 * image is admitted to work (counted in that work). So a request waiting for admission holds its
 * head and its socket; the rest of its body stays with the client (TCP back-pressure).
 *
 * <p>An admitted body holds a work slot while its rest arrives: it must arrive within
 * {@link #restTimeoutNanos(long)} (10 s plus 256 KiB a second) or the request ends with 408, so a
 * client trickling its upload cannot keep a slot. A read error surfaces as an INVALID_IMAGE refusal
 * whose cause is a {@link ReadFailure}, so the transport can answer it as the read error it is.
 */
final class DeferredBody implements EncodedImage {
    static final long REST_BASE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long REST_MIN_BYTES_PER_SECOND = 256 * 1024;
    /** The most of a refused body that is read and dropped before the refusal is sent. */
    static final long DRAIN_MAX_BYTES = 16L << 20;
    /** How long that may take (checked between reads; a stalled client meets Jetty's idle timeout). */
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final InputStream in;
    private final int size;
    private final AdmissionController.Lease lease;
    private final boolean fromClient;
    private byte[] data = new byte[0];
    private int read;
    private volatile boolean admitted;

    /**
     * @param fromClient whether {@code in} is the client's connection (else a file already received)
     * @throws dev.imageservice.processing.ImageProcessingException when the service is shutting down
     */
    DeferredBody(InputStream in, int size, AdmissionController budget, boolean fromClient) {
        this.in = in;
        this.size = size;
        this.fromClient = fromClient;
        this.lease = budget.tryHold(0);
    }

    /** What this body holds against the budget's input share; close it once the answer is written. */
    AdmissionController.Lease lease() {
        return lease;
    }

    /** How long the rest of a body of {@code bytes} may take to arrive once admitted. */
    static long restTimeoutNanos(long bytes) {
        return REST_BASE_TIMEOUT_NANOS + TimeUnit.SECONDS.toNanos(1) * bytes / REST_MIN_BYTES_PER_SECOND;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public synchronized int heldBytes() {
        return read;
    }

    @Override
    public void admitted() {
        admitted = true;
    }

    @Override
    public synchronized byte[] head(int n) {
        readTo(Math.min(n, size));
        return n >= read && read == data.length ? data : Arrays.copyOf(data, Math.min(n, read));
    }

    @Override
    public synchronized byte[] tail(int n) {
        byte[] all = bytes();
        return n >= all.length ? all : Arrays.copyOfRange(all, all.length - n, all.length);
    }

    @Override
    public synchronized byte[] bytes() {
        readTo(size);
        return data;
    }

    /** Reads until {@code target} bytes are held; counted as input before admission. */
    private void readTo(int target) {
        if (read >= target) {
            return;
        }
        boolean inWork = admitted;
        if (!inWork) {
            lease.resize(target); // refused as overloaded when the input share has no room
        }
        data = Arrays.copyOf(data, target);
        long deadline = System.nanoTime() + restTimeoutNanos(target - read);
        try {
            while (read < target) {
                int n = in.read(data, read, target - read);
                if (n < 0) {
                    throw new EOFException("the request body ended after " + read + " of " + size + " bytes");
                }
                read += n;
                if (inWork && read < target && System.nanoTime() - deadline > 0) {
                    throw new IOException("the rest of the body arrived too slowly after admission",
                            new TimeoutException(read + " of " + size + " bytes"));
                }
            }
        } catch (IOException | RuntimeException e) { // RuntimeException: Jetty's BadMessageException (408, too slow)
            // The client's doing: counted as a bad request, answered as the read error it is.
            throw new ImageProcessingException(ImageProcessingException.Kind.INVALID_IMAGE,
                    "the request body could not be read: " + e.getMessage(), new ReadFailure(e));
        }
    }

    /**
     * Reads and drops what is left of a refused body (nothing kept, nothing counted), so that the
     * refusal reaches the client. Answering while the client is still sending, and then closing the
     * connection with its bytes unread, makes TCP reset the connection, which can destroy the answer
     * before the client reads it ("received no bytes" instead of 503). Once all of it is read, the
     * connection also stays open for the client's next request. A body of more than
     * {@link #DRAIN_MAX_BYTES} left, or one that does not arrive within {@link #DRAIN_NANOS}, is not
     * drained: then the answer says {@code Connection: close} ({@link UnreadBodyCloser}).
     */
    synchronized void drainRest() {
        if (fromClient) {
            drain(in, size - read);
        }
    }

    /** Reads and drops up to {@code bytes} of {@code in}, within the limits of {@link #drainRest()}. */
    static void drain(InputStream in, long bytes) {
        if (bytes <= 0 || bytes > DRAIN_MAX_BYTES) {
            return;
        }
        byte[] sink = new byte[64 * 1024];
        long deadline = System.nanoTime() + DRAIN_NANOS;
        try {
            for (long left = bytes; left > 0 && System.nanoTime() - deadline < 0; ) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or the body is broken: the refusal stands, the connection closes.
        }
    }

    /** Why the body could not be read (the transport's own exception is its cause). */
    static final class ReadFailure extends IOException {
        ReadFailure(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
