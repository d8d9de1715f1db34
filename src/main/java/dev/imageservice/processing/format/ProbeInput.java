package dev.imageservice.processing.format;

/**
 * The bytes a probe reads: the head first; the tail, or the whole file, only when a format needs
 * them (a JPEG's end marker; a TIFF directory or JPEG metadata beyond the head).
 */
public interface ProbeInput {

    /** Size in bytes. */
    int size();

    /** The first {@code n} bytes, or all of them if there are fewer. */
    byte[] head(int n);

    /** The last {@code n} bytes, or all of them if there are fewer. */
    byte[] tail(int n);

    /** All the bytes. */
    byte[] bytes();

    /**
     * Bytes in memory now: fewer than {@link #size()} when the rest is still with the transport (an
     * HTTP body read only once its image is admitted). Then the tail is not looked at: the whole file
     * is checked again once read.
     */
    default int heldBytes() {
        return size();
    }

    /** A file already in one array (nothing is copied beyond the head and tail asked for). */
    static ProbeInput of(byte[] data) {
        return new ProbeInput() {
            @Override
            public int size() {
                return data.length;
            }

            @Override
            public byte[] head(int n) {
                return n >= data.length ? data : java.util.Arrays.copyOf(data, n);
            }

            @Override
            public byte[] tail(int n) {
                return n >= data.length ? data : java.util.Arrays.copyOfRange(data, data.length - n, data.length);
            }

            @Override
            public byte[] bytes() {
                return data;
            }
        };
    }
}
