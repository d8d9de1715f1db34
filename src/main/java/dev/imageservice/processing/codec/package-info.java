/**
 * The codecs: decoders from encoded bytes to pixels (libjpeg-turbo through JNA for JPEG, OpenCV for
 * the rest, shrink-on-load for large reductions) and encoders from pixels to bytes (our PNG encoder
 * with its filters and deflate coder, OpenCV for PNG, JPEG and WebP on the stock path). {@link
 * dev.imageservice.processing.codec.Codecs} picks the set the configuration names. Codecs know the
 * header probe, the operation interface and the processing errors; never the pipeline or admission.
 */
package dev.imageservice.processing.codec;
