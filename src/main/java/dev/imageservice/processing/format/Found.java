package dev.imageservice.processing.format;

/** What a format's reader found in a header; the probe adds what it knows of the whole file. */
record Found(int width, int height, CodecTraits traits) {
}
