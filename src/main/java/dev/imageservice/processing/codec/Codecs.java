package dev.imageservice.processing.codec;

/**
 * Which codec implementations the pipeline uses. {@link #FAST} is ours and measurably faster at
 * identical pixels; {@link #OPENCV} is the stock path (imdecode, cvtColor, imencode), kept for
 * comparison and as a safety valve that config can switch back to.
 */
public enum Codecs {
    /**
     * JPEG through libjpeg-turbo's TurboJPEG (SIMD) where it is exact, or through the JDK's reader
     * when {@code libturbojpeg.so.0} is missing; everything else through OpenCV; our PNG encoder.
     */
    FAST,
    /** OpenCV's imdecode and imencode, as the tutorial server does. */
    OPENCV;

    public ImageDecoder decoder() {
        if (this == OPENCV) {
            return new OpenCvDecoder();
        }
        return TurboJpeg.available() ? new TurboJpegDecoder(new OpenCvDecoder()) : new FastDecoder(new OpenCvDecoder());
    }

    public ImageEncoder pngEncoder() {
        return pngEncoder(SpareThreads.NONE);
    }

    /** The PNG encoder; ours may borrow {@code spare} threads for a large image (OpenCV's never does). */
    public ImageEncoder pngEncoder(SpareThreads spare) {
        return this == FAST ? new PngEncoder(PngEncoder.ChannelOrder.BGR, spare) : new OpenCvPngEncoder();
    }

    /** True when these codecs run at full speed on this machine (FAST needs libturbojpeg.so.0). */
    public boolean fullSpeed() {
        return this == OPENCV || TurboJpeg.available();
    }

    /** One line for the startup log and the health check: which JPEG decoder runs, and why. */
    public String describe() {
        if (this == OPENCV) {
            return "opencv: OpenCV imdecode/imencode (stock)";
        }
        return TurboJpeg.load()
                .map(problem -> "fast, degraded: JPEG through the JDK's reader because " + TurboJpeg.LIBRARY
                        + " could not be loaded (" + problem + "); install Debian's libturbojpeg0 for full speed")
                .orElse("fast: JPEG through libjpeg-turbo (" + TurboJpeg.LIBRARY + ", SIMD), PNG through our encoder");
    }
}
