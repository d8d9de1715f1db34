package dev.imageservice.processing;

import dev.imageservice.processing.codec.ImageEncoder;
import dev.imageservice.processing.codec.OpenCvLossyEncoder;
import dev.imageservice.processing.codec.ShrinkOnLoad;
import dev.imageservice.processing.format.ImageFormat;
import dev.imageservice.processing.operation.SwapChannels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A request's operations fixed for one image, before any pixel is decoded: every operation checked
 * against the size it will get (crop inside the image, every result within the pixel limit and the
 * output format's), the largest image any step holds (for admission), how much smaller the JPEG
 * decoder may decode (shrink-on-load), and a trailing channel swap moved into the PNG encoder when
 * it can write it for free.
 */
final class OperationPlan {
    final List<ImageOperation> steps;
    final ImageEncoder encoder;
    /** 1, 2, 4 or 8: decode at 1/shrinkFactor of the stored size. */
    final int shrinkFactor;
    /** The most pixels any stage holds, decoded image included. */
    final long peakPixels;
    final Dimensions output;
    /** The names of the operations the encoder does as it writes (not among the steps). */
    final List<String> doneByEncoder;

    private OperationPlan(List<ImageOperation> steps, ImageEncoder encoder, int shrinkFactor, long peakPixels,
            Dimensions output, List<String> doneByEncoder) {
        this.steps = steps;
        this.doneByEncoder = doneByEncoder;
        this.encoder = encoder;
        this.shrinkFactor = shrinkFactor;
        this.peakPixels = peakPixels;
        this.output = output;
    }

    /**
     * @param operations      the request's operations (the default operation when there are none)
     * @param source          the stored image's dimensions
     * @param format          the stored image's format (only JPEG has shrink-on-load)
     * @param exifOrientation read only if an operation asks for it
     * @param encoder         the encoder of the requested output format
     * @param shrinkOnLoad    whether the image may be decoded smaller (false once it is decoded)
     * @throws ImageProcessingException INVALID_OPTIONS naming the operation that cannot be done
     */
    static OperationPlan of(List<ImageOperation> operations, Dimensions source, ImageFormat format,
            IntSupplier exifOrientation, ImageEncoder encoder, OutputFormat outputFormat, long maxPixels,
            boolean shrinkOnLoad) {
        List<ImageOperation> steps = new ArrayList<>(operations.size());
        Dimensions size = source;
        long peak = source.pixels();
        int shrinkFactor = 1;
        boolean scaleFreeSoFar = true;
        for (int i = 0; i < operations.size(); i++) {
            ImageOperation operation = operations.get(i).oriented(exifOrientation);
            Dimensions next;
            try {
                next = operation.outputSize(size);
            } catch (IllegalArgumentException e) {
                throw invalid(i, operation, e.getMessage());
            }
            if (next.pixels() > maxPixels) {
                throw invalid(i, operation, "the result would be " + next + " = " + Limits.megapixels(next.pixels())
                        + "; the limit is " + Limits.megapixels(maxPixels));
            }
            if (scaleFreeSoFar && shrinkOnLoad && !operation.scaleFree()) {
                // The first operation that cares about the scale: if it shrinks enough, the decoder
                // does the first 2x, 4x or 8x of it. Everything before it means the same at any scale.
                shrinkFactor = ShrinkOnLoad.factor(format, operation.shrink(size));
            }
            scaleFreeSoFar &= operation.scaleFree();
            steps.add(operation.fixedFor(size));
            size = next;
            peak = Math.max(peak, next.pixels());
        }
        int maxSide = outputFormat.maxSide();
        if (maxSide > 0 && (size.width() > maxSide || size.height() > maxSide)) {
            throw ImageProcessingException.invalidOptions("format: a " + outputFormat + " image is at most " + maxSide
                    + " pixels wide and high; the result would be " + size);
        }
        if (shrinkFactor > 1) {
            // The decoded image is smaller; the first steps hold a reduced image too, but never more.
            peak = Math.max(ShrinkOnLoad.reduced(source, shrinkFactor).pixels(), peakAfterFirstResize(steps, source));
        }
        List<String> planned = steps.stream().map(ImageOperation::name).toList();
        ImageEncoder finalEncoder = moveSwapIntoEncoder(steps, encoder);
        List<String> doneByEncoder = new ArrayList<>(planned);
        steps.forEach(step -> doneByEncoder.remove(step.name()));
        return new OperationPlan(List.copyOf(steps), finalEncoder, shrinkFactor, peak, size, List.copyOf(doneByEncoder));
    }

    /** The largest result from the first size-changing step on (what shrink-on-load cannot reduce). */
    private static long peakAfterFirstResize(List<ImageOperation> steps, Dimensions source) {
        long peak = 0;
        Dimensions size = source;
        boolean counting = false;
        for (ImageOperation step : steps) {
            size = step.outputSize(size);
            counting |= !step.scaleFree();
            if (counting) {
                peak = Math.max(peak, size.pixels());
            }
        }
        return peak;
    }

    /**
     * A channel swap followed only by operations that treat channels alike can be done last, and the
     * PNG encoder does it as it writes: no pass over the pixels, no extra image in native memory.
     */
    private static ImageEncoder moveSwapIntoEncoder(List<ImageOperation> steps, ImageEncoder encoder) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            ImageOperation step = steps.get(i);
            if (step instanceof SwapChannels) {
                var absorbing = encoder.absorb(step);
                if (absorbing.isPresent()) {
                    steps.remove(i);
                    return absorbing.get();
                }
                return encoder;
            }
            if (!step.commutesWithSwap()) {
                return encoder;
            }
        }
        return encoder;
    }

    private static ImageProcessingException invalid(int index, ImageOperation operation, String message) {
        return ImageProcessingException.invalidOptions("operation " + (index + 1) + " (" + operation + "): " + message);
    }
}
