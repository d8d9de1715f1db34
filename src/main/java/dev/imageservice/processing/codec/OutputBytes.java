package dev.imageservice.processing.codec;

import dev.imageservice.processing.ImageProcessingException;
import java.util.Arrays;

/**
 * A growable byte array that an encoder writes into directly: the PNG framing and the deflate
 * coder share one, so compressed bytes land in their final place without a copy.
 */
final class OutputBytes {
    byte[] data;
    int size;

    OutputBytes(int initialCapacity) {
        data = new byte[Math.max(64, initialCapacity)];
    }

    /**
     * Room for {@code bytes} more, plus 8 spare: bit writers store whole longs, so they may write up
     * to 8 bytes beyond what they keep.
     */
    void ensure(int bytes) {
        long needed = (long) size + bytes + 8;
        if (needed > data.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new ImageProcessingException(ImageProcessingException.Kind.INTERNAL,
                        "the encoded image would be larger than 2 GiB");
            }
            data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, data.length * 3L / 2)));
        }
    }

    void putIntBE(int value) {
        ensure(4);
        data[size++] = (byte) (value >>> 24);
        data[size++] = (byte) (value >>> 16);
        data[size++] = (byte) (value >>> 8);
        data[size++] = (byte) value;
    }

    void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, data, size, bytes.length);
        size += bytes.length;
    }

    byte[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
