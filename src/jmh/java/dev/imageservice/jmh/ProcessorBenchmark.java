package dev.imageservice.jmh;

import dev.imageservice.cli.bench.PhotoLikeImage;
import dev.imageservice.processing.Codecs;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.OpenCvDecoder;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.OpenCvPngEncoder;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.SwapChannels;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.processing.format.ImageHeader;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The processor's stages (decode, swap, encode, whole) beside the bare OpenCV calls that do the
 * same image work, on photo-like JPEGs of 0.3, 2 and 12 MP. {@code xxxProcessor / xxxBare} is the
 * processor's overhead over raw OpenCV for that stage.
 *
 * <p>"Bare" is the least any Java caller of OpenCV must do: the encoded input already sits in a
 * native buffer, and output buffers are reused. The processor additionally copies the input bytes
 * into a native buffer, sniffs the format, allocates a new Mat for the swapped pixels and copies
 * the PNG out into a Java array, which is what a service has to hand to gRPC or HTTP.
 *
 * <p>Single-threaded, average time per image: the figure to compare with a server's CPU time per
 * request (as long as OpenCV runs each call on one thread; setup prints its thread count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProcessorBenchmark {

    @Param({"MP_0_3", "MP_2", "MP_12"})
    public PhotoLikeImage.Size size;

    private byte[] jpeg;
    private ImageHeader header;
    private MatOfByte jpegNative;
    private Mat decoded;
    private Mat swapped;
    private Mat swapTarget;
    private MatOfByte pngTarget;

    private PipelineImageProcessor processor;
    private final OpenCvDecoder decoder = new OpenCvDecoder();
    private final SwapChannels swap = new SwapChannels();
    private final OpenCvPngEncoder encoder = new OpenCvPngEncoder();

    @Setup
    public void setUp() {
        String version = OpenCvLibrary.load();
        System.out.printf("%nOpenCV %s, %d thread(s) for parallel loops; %s: %dx%d, JPEG %d bytes%n", version,
                Core.getNumThreads(), size, size.width(), size.height(), (jpeg = PhotoLikeImage.jpeg(size)).length);
        // The stock OpenCV path, so that processor / bare is the overhead of our code over the same calls.
        processor = PipelineImageProcessor.channelSwapToPng(new Limits(1L << 30, 100_000_000L, 2, 200_000_000L, 100,
                TimeUnit.SECONDS.toNanos(30)), Codecs.OPENCV);
        header = FormatProbe.probe(jpeg);
        jpegNative = new MatOfByte(jpeg);
        decoded = Imgcodecs.imdecode(jpegNative, Imgcodecs.IMREAD_UNCHANGED);
        swapped = new Mat();
        Imgproc.cvtColor(decoded, swapped, Imgproc.COLOR_BGR2RGB);
        swapTarget = new Mat();
        pngTarget = new MatOfByte();
    }

    @TearDown
    public void tearDown() {
        jpegNative.release();
        decoded.release();
        swapped.release();
        swapTarget.release();
        pngTarget.release();
    }

    // The service's own code path.

    @Benchmark
    public byte[] wholeProcessor() {
        return processor.process(jpeg).output();
    }

    @Benchmark
    public int decodeProcessor() {
        Mat image = decoder.decode(jpeg, header);
        int rows = image.rows();
        image.release();
        return rows;
    }

    @Benchmark
    public int swapProcessor() {
        Mat image = swap.apply(decoded);
        int rows = image.rows();
        image.release();
        return rows;
    }

    @Benchmark
    public byte[] encodeProcessor() {
        return encoder.encode(swapped);
    }

    // The bare OpenCV calls.

    @Benchmark
    public int wholeBare() {
        Mat image = Imgcodecs.imdecode(jpegNative, Imgcodecs.IMREAD_UNCHANGED);
        Imgproc.cvtColor(image, swapTarget, Imgproc.COLOR_BGR2RGB);
        Imgcodecs.imencode(".png", swapTarget, pngTarget);
        image.release();
        return (int) pngTarget.total();
    }

    @Benchmark
    public int decodeBare() {
        Mat image = Imgcodecs.imdecode(jpegNative, Imgcodecs.IMREAD_UNCHANGED);
        int rows = image.rows();
        image.release();
        return rows;
    }

    @Benchmark
    public int swapBare() {
        Imgproc.cvtColor(decoded, swapTarget, Imgproc.COLOR_BGR2RGB);
        return swapTarget.rows();
    }

    @Benchmark
    public int encodeBare() {
        Imgcodecs.imencode(".png", swapped, pngTarget);
        return (int) pngTarget.total();
    }
}
