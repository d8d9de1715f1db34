package dev.imageservice.processing.codec;

/**
 * Where an encoder puts its finished output, so that the caller decides its shape (for instance
 * pieces of one G1 region each, which the collector never has to find contiguous room for) and the
 * encoder can keep its working buffer for the next image instead of handing it over.
 */
@FunctionalInterface
public interface ByteSink {

    /** Takes {@code length} bytes from {@code bytes[offset...]}; they must be copied before returning. */
    void write(byte[] bytes, int offset, int length);
}
