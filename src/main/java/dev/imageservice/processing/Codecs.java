package dev.imageservice.processing;

/**
 * Which codec implementations the pipeline uses. {@link #FAST} is ours and measurably faster at
 * identical pixels; {@link #OPENCV} is the stock path (imdecode, cvtColor, imencode), kept for
 * comparison and as a safety valve that config can switch back to.
 */
public enum Codecs {
    /** JPEG through the JDK's reader where it is exact, everything else through OpenCV; our PNG encoder. */
    FAST,
    /** OpenCV's imdecode and imencode, as the tutorial server does. */
    OPENCV;

    public ImageDecoder decoder() {
        return this == FAST ? new FastDecoder(new OpenCvDecoder()) : new OpenCvDecoder();
    }

    public ImageEncoder pngEncoder() {
        return this == FAST ? new PngEncoder(PngEncoder.ChannelOrder.BGR) : new OpenCvPngEncoder();
    }
}
