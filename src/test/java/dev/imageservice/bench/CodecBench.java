package dev.imageservice.bench;

import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.codec.Codecs;
import dev.imageservice.processing.codec.EncoderStages;
import dev.imageservice.processing.codec.FastDecoder;
import dev.imageservice.processing.codec.OpenCvDecoder;
import dev.imageservice.processing.codec.OpenCvPngEncoder;
import dev.imageservice.processing.codec.PngEncoder;
import dev.imageservice.processing.codec.TurboJpegDecoder;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.processing.format.ImageHeader;
import dev.imageservice.processing.operation.SwapChannels;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The project's one codec benchmark: a plain {@code main}, so it needs no profile.
 * <pre>
 * ./mvnw -q test-compile
 * java -cp target/classes:target/test-classes:$(./mvnw -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *     dev.imageservice.bench.CodecBench [rounds] [0.3,2,12 | photo.jpg ...]
 * </pre>
 * Inputs: synthetic photo-like JPEGs (quality 90) of 0.3, 2 and 12 MP, or real JPEG files. Every
 * variant runs once per round, round after round (interleaved, so that noise from other processes
 * hits all of them alike); after a warm-up of at least 5 rounds and 4 s (C2 must have compiled the
 * Java codecs), the median per variant is printed: the calling thread's CPU time (steady on a busy
 * machine, where wall time is not) beside wall time. OpenCV runs on one thread too.
 */
public final class CodecBench {

    public static void main(String[] args) {
        OpenCvLibrary.load();
        Core.setNumThreads(1); // cvtColor would use a pool: one thread, so CPU time is all of the work
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<String> inputs = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("0.3,2,12");
        System.out.println("JPEG decoder: " + Codecs.FAST.describe());
        for (String input : inputs) {
            for (String item : input.split(",")) {
                int[] wh = switch (item) {
                    case "0.3" -> new int[] {640, 480};
                    case "2" -> new int[] {1920, 1080};
                    case "12" -> new int[] {4000, 3000};
                    default -> null;
                };
                if (wh != null) {
                    run("synthetic photo-like q90", TestImages.encode(TestImages.photoLike(wh[0], wh[1], 3, 8, 5), ".jpg",
                            Imgcodecs.IMWRITE_JPEG_QUALITY, 90), repetitions);
                } else {
                    try {
                        run(item, Files.readAllBytes(Path.of(item)), repetitions);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    private static void run(String name, byte[] jpeg, int repetitions) {
        OpenCvDecoder openCvDecoder = new OpenCvDecoder();
        FastDecoder jdkDecoder = new FastDecoder(openCvDecoder);
        SwapChannels swap = new SwapChannels();
        OpenCvPngEncoder openCvPng = new OpenCvPngEncoder();
        PngEncoder ourPng = new PngEncoder(PngEncoder.ChannelOrder.RGB);
        // Work on the calling thread (a direct executor), so that its CPU time is all of the work.
        PipelineImageProcessor stock = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS, Codecs.OPENCV,
                new AdmissionController(TestLimits.DEFAULTS), Runnable::run);
        PipelineImageProcessor fast = new PipelineImageProcessor(TestLimits.DEFAULTS,
                new AdmissionController(TestLimits.DEFAULTS), Runnable::run, Codecs.FAST.decoder(), swap,
                Codecs.FAST.pngEncoder());
        // An idle server: the other worker (TestLimits: 2) may help; its CPU time is added to the caller's.
        PipelineImageProcessor idleCores = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS, Codecs.FAST,
                new AdmissionController(TestLimits.DEFAULTS), HELPER::execute);
        ImageHeader jpegHeader = FormatProbe.probe(jpeg);
        Mat decoded = openCvDecoder.decode(jpeg, jpegHeader);
        int width = decoded.cols();
        int height = decoded.rows();
        Mat swapped = swap.apply(decoded);
        byte[] stockPng = openCvPng.encode(swapped);

        Map<String, Supplier<Object>> variants = new LinkedHashMap<>();
        variants.put("decode JPEG: OpenCV imdecode", () -> release(openCvDecoder.decode(jpeg, jpegHeader)));
        variants.put("decode JPEG: JDK reader", () -> release(jdkDecoder.decode(jpeg, jpegHeader)));
        if (Codecs.FAST.fullSpeed()) {
            TurboJpegDecoder turbo = new TurboJpegDecoder(openCvDecoder);
            variants.put("decode JPEG: TurboJPEG", () -> release(turbo.decode(jpeg, jpegHeader)));
        }
        variants.put("swap: cvtColor BGR2RGB", () -> release(swap.apply(decoded)));
        variants.put("encode PNG: OpenCV imencode", () -> openCvPng.encode(swapped));
        variants.put("encode PNG: ours (swap fused)", () -> ourPng.encode(decoded));
        if (decoded.channels() == 3 && decoded.depth() == 0) {
            variants.putAll(EncoderStages.of(decoded));
        }
        variants.put("whole: stock (opencv)", () -> stock.process(jpeg));
        variants.put("whole: fast", () -> fast.process(jpeg));
        variants.put("whole: fast, idle cores", () -> idleCores.process(jpeg));

        String only = System.getProperty("variants");
        if (only != null) {
            // -Dvariants=TurboJPEG,ours,whole: only the variants whose name contains one of these
            variants.keySet().removeIf(key -> Arrays.stream(only.split(",")).noneMatch(key::contains));
        }
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, List<Long>> cpuTimes = new LinkedHashMap<>();
        variants.keySet().forEach(key -> times.put(key, new ArrayList<>()));
        variants.keySet().forEach(key -> cpuTimes.put(key, new ArrayList<>()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long warmupEnd = System.nanoTime() + 4_000_000_000L;
        for (int round = 0; round < 5 || System.nanoTime() < warmupEnd; round++) {
            variants.values().forEach(Supplier::get);
        }
        for (int round = 0; round < repetitions; round++) {
            for (Map.Entry<String, Supplier<Object>> variant : variants.entrySet()) {
                long cpuStart = threads.getCurrentThreadCpuTime() + helperCpu(threads);
                long start = System.nanoTime();
                Object result = variant.getValue().get();
                long elapsed = System.nanoTime() - start;
                cpuTimes.get(variant.getKey()).add(threads.getCurrentThreadCpuTime() + helperCpu(threads) - cpuStart);
                if (result == null) {
                    throw new IllegalStateException(variant.getKey());
                }
                times.get(variant.getKey()).add(elapsed);
            }
        }
        byte[] fastPng = fast.process(jpeg).output();
        double megapixels = (double) width * height / 1e6;
        System.out.printf("%n%s: %dx%d (%.1f MP), JPEG %d bytes; %d rounds, medians of thread CPU time (wall time):%n",
                name, width, height, megapixels, jpeg.length, repetitions);
        times.forEach((key, list) -> {
            double cpu = median(cpuTimes.get(key)) / 1e6;
            System.out.printf("  %-32s %8.2f ms CPU %7.1f MP/s  (wall %.2f ms)%n", key, cpu, megapixels / cpu * 1e3,
                    median(list) / 1e6);
        });
        System.out.printf("  PNG bytes: OpenCV %d, ours %d (%+.2f%%)%n",
                stockPng.length, fastPng.length, 100.0 * (fastPng.length - stockPng.length) / stockPng.length);
        System.out.printf("  same pixels (stock vs fast output): %s%n",
                TestImages.decode(fastPng).equals(TestImages.decode(stockPng)));
        swapped.release();
        decoded.release();
    }

    private static final List<Thread> HELPER_THREADS = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The idle-cores variant's worker: the pipeline's work runs here, a part-coding helper on the other. */
    private static final java.util.concurrent.ThreadPoolExecutor HELPER = new java.util.concurrent.ThreadPoolExecutor(
            2, 2, 1, java.util.concurrent.TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "bench-worker");
                thread.setDaemon(true);
                HELPER_THREADS.add(thread);
                return thread;
            });

    private static long helperCpu(ThreadMXBean threads) {
        long total = 0;
        for (Thread thread : HELPER_THREADS) {
            total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
        }
        return total;
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static Object release(Mat mat) {
        mat.release();
        return Boolean.TRUE;
    }

    private static Object imageIoRead(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
