package dev.imageservice.processing;

import java.util.Arrays;

/**
 * An encoded image as a transport holds it. The processor reads only its head and tail for the
 * cheap checks, and takes all of its bytes once the request is admitted, so a request that waits
 * for admission costs no copy beyond the one its transport already holds.
 */
public interface EncodedImage {

    /** Size in bytes. */
    int size();

    /** The first {@code n} bytes, or all of them if there are fewer. */
    byte[] head(int n);

    /** The last {@code n} bytes, or all of them if there are fewer. */
    byte[] tail(int n);

    /** All the bytes. May copy: the processor calls it once, when it is about to decode. */
    byte[] bytes();

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
