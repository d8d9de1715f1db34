package dev.imageservice.processing.format;

/**
 * What one probe of a file found: its format, its dimensions as the header states them, how its
 * pixels are coded, and whether the file is whole. Nothing has been decoded: a header may lie, and
 * {@link #pixels()} is what a decompression-bomb check must look at before any decoding.
 *
 * @param bytes    the file's size
 * @param complete false when the file visibly ends before the image does (a JPEG without its end
 *                 marker, a WebP shorter than its RIFF header says); see {@link #requireComplete()}
 */
public record ImageHeader(ImageFormat format, int width, int height, long bytes, boolean complete, CodecTraits traits) {

    public long pixels() {
        return (long) width * height;
    }

    /** @throws FormatException (TRUNCATED) when the file ends before the image does */
    public ImageHeader requireComplete() {
        if (!complete) {
            throw new FormatException(FormatException.Reason.TRUNCATED, "the " + format.displayName()
                    + " image is truncated (" + bytes + " bytes): its end is missing");
        }
        return this;
    }
}
