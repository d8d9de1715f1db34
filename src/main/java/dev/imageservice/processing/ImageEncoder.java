package dev.imageservice.processing;

import org.opencv.core.Mat;

/** Turns pixels into an encoded image file. New output formats are new implementations of this. */
public interface ImageEncoder {

    /** The media type of what {@link #encode} returns, e.g. {@code image/png}. */
    String contentType();

    /** Encodes the pixels; does not release {@code image}. */
    byte[] encode(Mat image);
}
