package dev.imageservice.processing;

import java.util.List;

/**
 * What to do with one image: the operations, in order, and the encoding of the answer. No
 * operations means the service's default processing (the channel swap), so that the tutorial's
 * clients, which send no options, get the answer they always got.
 *
 * @param operations at most {@link #MAX_OPERATIONS}
 * @param format     the output encoding
 * @param quality    1-100 for lossy formats, 0 for the default ({@link OutputFormat#DEFAULT_QUALITY})
 */
public record ProcessingOptions(List<ImageOperation> operations, OutputFormat format, int quality) {
    public static final int MAX_OPERATIONS = 16;

    /** The tutorial's processing: the channel swap, PNG. */
    public static final ProcessingOptions DEFAULT = new ProcessingOptions(List.of(), OutputFormat.PNG, 0);

    public ProcessingOptions {
        operations = List.copyOf(operations);
        if (format == null) {
            format = OutputFormat.PNG;
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ImageProcessingException.invalidOptions("operations: " + operations.size()
                    + " operations; at most " + MAX_OPERATIONS + " are allowed");
        }
        if (quality < 0 || quality > 100) {
            throw ImageProcessingException.invalidOptions("quality must be 1-100 (0 for the default), not " + quality);
        }
    }

    /** The quality to encode with: the one asked for, or the format's default. */
    public int effectiveQuality() {
        return quality == 0 ? OutputFormat.DEFAULT_QUALITY : quality;
    }

    /** Whether this is the tutorial's processing (no operations, PNG). */
    public boolean isDefault() {
        return operations.isEmpty() && format == OutputFormat.PNG;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (ImageOperation operation : operations) {
            text.append(operation).append(' ');
        }
        text.append("-> ").append(format.key());
        if (format.lossy()) {
            text.append(" q").append(effectiveQuality());
        }
        return text.toString();
    }
}
