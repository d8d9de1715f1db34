package dev.imageservice.bench;

import dev.imageservice.processing.Codecs;
import dev.imageservice.processing.FastDecoder;
import dev.imageservice.processing.OpenCvDecoder;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.OpenCvPngEncoder;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.PngEncoder;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.SwapChannels;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.processing.format.ImageHeader;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The stock OpenCV codec path against the fast one, stage by stage and whole, on photo-like JPEGs
 * (quality 90) of 0.3, 2 and 12 MP. Sample mode, so JMH reports the median (p0.50) per stage.
 * Single-threaded: this is CPU per request. dev.imageservice.bench.CodecBench (test sources) is the
 * same comparison as a plain main, also printing output sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class CodecBenchmark {
    private static final Limits LIMITS = new Limits(256L << 20, 50_000_000L, 2, 100_000_000L, 100, TimeUnit.SECONDS.toNanos(30));

    @Param({"0.3", "2", "12"})
    public String megapixels;

    private byte[] jpeg;
    private Mat decoded;
    private Mat swapped;
    private final OpenCvDecoder openCvDecoder = new OpenCvDecoder();
    private FastDecoder fastDecoder;
    private ImageHeader header;
    private final SwapChannels swap = new SwapChannels();
    private final OpenCvPngEncoder openCvPng = new OpenCvPngEncoder();
    private final PngEncoder ourPng = new PngEncoder(PngEncoder.ChannelOrder.RGB);
    private PipelineImageProcessor stock;
    private PipelineImageProcessor fast;

    @Setup(Level.Trial)
    public void setUp() {
        OpenCvLibrary.load();
        int[] size = switch (megapixels) {
            case "0.3" -> new int[] {640, 480};
            case "2" -> new int[] {1920, 1080};
            case "12" -> new int[] {4000, 3000};
            default -> throw new IllegalArgumentException(megapixels);
        };
        jpeg = photoLikeJpeg(size[0], size[1]);
        fastDecoder = new FastDecoder(openCvDecoder);
        stock = PipelineImageProcessor.channelSwapToPng(LIMITS, Codecs.OPENCV);
        fast = PipelineImageProcessor.channelSwapToPng(LIMITS, Codecs.FAST);
        header = FormatProbe.probe(jpeg);
        decoded = openCvDecoder.decode(jpeg, header);
        swapped = swap.apply(decoded);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        swapped.release();
        decoded.release();
    }

    @Benchmark
    public long decodeStock() {
        Mat mat = openCvDecoder.decode(jpeg, header);
        long total = mat.total();
        mat.release();
        return total;
    }

    @Benchmark
    public long decodeFast() {
        Mat mat = fastDecoder.decode(jpeg, header);
        long total = mat.total();
        mat.release();
        return total;
    }

    @Benchmark
    public long swapStock() {
        Mat mat = swap.apply(decoded);
        long total = mat.total();
        mat.release();
        return total;
    }

    @Benchmark
    public byte[] encodeStock() {
        return openCvPng.encode(swapped);
    }

    /** Encodes the unswapped Mat: the swap is fused into the encoder. */
    @Benchmark
    public byte[] encodeFast() {
        return ourPng.encode(decoded);
    }

    @Benchmark
    public ProcessedImage wholeStock() {
        return stock.process(jpeg);
    }

    @Benchmark
    public ProcessedImage wholeFast() {
        return fast.process(jpeg);
    }

    /** The project's photo-like test image: smooth waves per channel plus 10% noise, seeded. */
    static byte[] photoLikeJpeg(int width, int height) {
        Random random = new Random(5);
        byte[] samples = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double wave = 0.5 + 0.5 * Math.sin((x * (c + 1) + y * (3 - c)) / 23.0);
                    samples[(y * width + x) * 3 + c] = (byte) Math.min(255, (int) (wave * 255 * 0.9) + random.nextInt(25));
                }
            }
        }
        Mat mat = new Mat(height, width, CvType.CV_8UC3);
        MatOfByte out = new MatOfByte();
        try {
            mat.put(0, 0, samples);
            Imgcodecs.imencode(".jpg", mat, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return out.toArray();
        } finally {
            mat.release();
            out.release();
        }
    }
}
