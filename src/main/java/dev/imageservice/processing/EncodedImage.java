package dev.imageservice.processing;

import dev.imageservice.processing.format.ProbeInput;
import java.util.Arrays;

/**
 * An encoded image as a transport holds it. The processor's header probe reads its size, head and
 * (for a JPEG) tail; all of its bytes are taken once the request is admitted (and by the probe only
 * when a header reaches past the head), so a request that waits for admission costs no copy beyond
 * the one its transport already holds. {@link #bytes()} may copy.
 */
public interface EncodedImage extends ProbeInput {

    /**
     * Called by the processor once the image is admitted to work, before it takes {@link #bytes()}:
     * what is read from then on ({@link #size()} minus {@link #heldBytes()} at admission) is counted
     * in that work. An image whose transport still holds part of it reads the rest then.
     */
    default void admitted() {
    }

    /** An image already in one array (nothing is copied, the array is not written). */
    static EncodedImage of(byte[] data) {
        return new EncodedImage() {
            @Override
            public int size() {
                return data.length;
            }

            @Override
            public byte[] head(int n) {
                return n >= data.length ? data : Arrays.copyOf(data, n);
            }

            @Override
            public byte[] tail(int n) {
                return n >= data.length ? data : Arrays.copyOfRange(data, data.length - n, data.length);
            }

            @Override
            public byte[] bytes() {
                return data;
            }
        };
    }
}
