package dev.imageservice.processing.operation;

import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.operation.SwapChannels;
import java.util.Locale;

/**
 * The text form of an operation, as the HTTP API, the page's form and the client command take it:
 * {@code swap}, {@code gray}, {@code resize:W:H[:contain|cover|fill]}, {@code crop:X:Y:W:H},
 * {@code rotate:D}, {@code flip:h|v|hv}, {@code orient}. Each operation's {@code toString()} is this form.
 */
public final class OperationSyntax {
    /** For messages and help texts. */
    public static final String SUMMARY =
            "swap, gray, resize:W:H[:contain|cover|fill], crop:X:Y:W:H, rotate:90|180|270, flip:h|v|hv, orient";

    private OperationSyntax() {
    }

    /**
     * Parses one operation.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and what is allowed
     */
    public static ImageOperation parse(String text) {
        String[] parts = text.trim().split(":", -1);
        String name = parts[0].toLowerCase(Locale.ROOT);
        return switch (name) {
            case "swap" -> {
                arguments(parts, 0, "swap");
                yield new SwapChannels();
            }
            case "gray", "grey", "grayscale" -> {
                arguments(parts, 0, "gray");
                yield new Grayscale();
            }
            case "orient", "auto-orient" -> {
                arguments(parts, 0, "orient");
                yield new AutoOrient();
            }
            case "rotate" -> {
                arguments(parts, 1, "rotate:90|180|270");
                yield new Rotate(number(parts[1], "degrees"));
            }
            case "flip" -> {
                arguments(parts, 1, "flip:h|v|hv");
                String axes = parts[1].toLowerCase(Locale.ROOT);
                if (!axes.equals("h") && !axes.equals("v") && !axes.equals("hv") && !axes.equals("vh")) {
                    throw new IllegalArgumentException("flip takes h, v or hv, not '" + parts[1] + "'");
                }
                yield new Flip(axes.contains("h"), axes.contains("v"));
            }
            case "crop" -> {
                arguments(parts, 4, "crop:X:Y:W:H");
                yield new Crop(number(parts[1], "x"), number(parts[2], "y"), number(parts[3], "width"),
                        number(parts[4], "height"));
            }
            case "resize" -> {
                if (parts.length != 3 && parts.length != 4) {
                    throw new IllegalArgumentException("resize takes resize:W:H[:contain|cover|fill], not '" + text + "'");
                }
                Resize.Fit fit = parts.length == 3 ? Resize.Fit.CONTAIN : fit(parts[3]);
                yield new Resize(number(parts[1], "width"), number(parts[2], "height"), fit);
            }
            default -> throw new IllegalArgumentException("unknown operation '" + parts[0] + "'; use " + SUMMARY);
        };
    }

    private static void arguments(String[] parts, int count, String form) {
        if (parts.length != count + 1) {
            throw new IllegalArgumentException("expected " + form + ", not '" + String.join(":", parts) + "'");
        }
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, not '" + text + "'");
        }
    }

    private static Resize.Fit fit(String text) {
        for (Resize.Fit fit : Resize.Fit.values()) {
            if (fit.key().equalsIgnoreCase(text.trim())) {
                return fit;
            }
        }
        throw new IllegalArgumentException("fit must be contain, cover or fill, not '" + text + "'");
    }
}
