package dev.imageservice.processing;

/** The width and height of an image, in pixels. */
public record Dimensions(int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
