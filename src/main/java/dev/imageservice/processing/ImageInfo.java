package dev.imageservice.processing;

/** The shape of a decoded image: its size, channel count and bits per channel sample. */
public record ImageInfo(int width, int height, int channels, int bitDepth) {

    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height + "x" + channels + " " + bitDepth + "-bit";
    }
}
