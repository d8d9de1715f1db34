package dev.imageservice.bench;

import dev.imageservice.processing.Codecs;
import dev.imageservice.processing.FastDecoder;
import dev.imageservice.processing.OpenCvDecoder;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.OpenCvPngEncoder;
import dev.imageservice.processing.PipelineImageProcessor;
import dev.imageservice.processing.PngEncoder;
import dev.imageservice.processing.SwapChannels;
import dev.imageservice.processing.format.FormatProbe;
import dev.imageservice.processing.format.ImageHeader;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * A plain-main benchmark of the codec paths, runnable without JMH:
 * <pre>
 * ./mvnw -q test-compile
 * java -cp target/classes:target/test-classes:$(./mvnw -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout) \
 *     dev.imageservice.bench.CodecBench [repetitions] [sizes, e.g. 0.3,2,12]
 * </pre>
 * Photo-like JPEGs (quality 90) of 0.3, 2 and 12 MP. Every variant runs once per round, round
 * after round (interleaved, so that noise from other processes hits all of them alike); after a
 * warm-up of at least 3 s, the median per variant is printed. Single-threaded: CPU per request, not throughput.
 */
public final class CodecBench {

    public static void main(String[] args) {
        OpenCvLibrary.load();
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String[] sizes = (args.length > 1 ? args[1] : "0.3,2,12").split(",");
        for (String size : sizes) {
            int[] wh = switch (size) {
                case "0.3" -> new int[] {640, 480};
                case "2" -> new int[] {1920, 1080};
                case "12" -> new int[] {4000, 3000};
                default -> throw new IllegalArgumentException("size " + size);
            };
            run(wh[0], wh[1], repetitions);
        }
    }

    private static void run(int width, int height, int repetitions) {
        byte[] jpeg = TestImages.encode(TestImages.photoLike(width, height, 3, 8, 5), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        OpenCvDecoder openCvDecoder = new OpenCvDecoder();
        FastDecoder fastDecoder = new FastDecoder(openCvDecoder);
        SwapChannels swap = new SwapChannels();
        OpenCvPngEncoder openCvPng = new OpenCvPngEncoder();
        PngEncoder ourPng = new PngEncoder(PngEncoder.ChannelOrder.RGB);
        PipelineImageProcessor stock = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS, Codecs.OPENCV);
        PipelineImageProcessor fast = PipelineImageProcessor.channelSwapToPng(TestLimits.DEFAULTS, Codecs.FAST);
        ImageHeader jpegHeader = FormatProbe.probe(jpeg);
        Mat decoded = openCvDecoder.decode(jpeg, jpegHeader);
        Mat swapped = swap.apply(decoded);
        byte[] stockPng = openCvPng.encode(swapped);
        byte[] bgr = new byte[(int) (decoded.total() * 3)];
        decoded.get(0, 0, bgr);

        ImageHeader pngHeader = FormatProbe.probe(stockPng);
        Map<String, Supplier<Object>> variants = new LinkedHashMap<>();
        variants.put("decode JPEG: OpenCV imdecode", () -> release(openCvDecoder.decode(jpeg, jpegHeader)));
        variants.put("decode JPEG: fast (JDK reader)", () -> release(fastDecoder.decode(jpeg, jpegHeader)));
        variants.put("swap: cvtColor BGR2RGB", () -> release(swap.apply(decoded)));
        variants.put("encode PNG: OpenCV imencode", () -> openCvPng.encode(swapped));
        variants.put("encode PNG: ours (swap fused)", () -> ourPng.encode(decoded));
        variants.put("encode PNG: Deflater HUFFMAN_ONLY", () -> DeflaterPng.encode(bgr, width, height));
        variants.put("decode PNG: OpenCV imdecode", () -> release(openCvDecoder.decode(stockPng, pngHeader)));
        variants.put("decode PNG: JDK ImageIO", () -> imageIoRead(stockPng));
        variants.put("whole: stock (opencv)", () -> stock.process(jpeg));
        variants.put("whole: fast", () -> fast.process(jpeg));

        Map<String, List<Long>> times = new LinkedHashMap<>();
        variants.keySet().forEach(name -> times.put(name, new ArrayList<>()));
        // Warm up until the JIT has settled (at least 5 rounds and 3 s): the fast path's Java code
        // is slower than native code until C2 has compiled it.
        long warmupEnd = System.nanoTime() + 3_000_000_000L;
        for (int round = 0; round < 5 || System.nanoTime() < warmupEnd; round++) {
            variants.values().forEach(Supplier::get);
        }
        for (int round = 0; round < repetitions; round++) {
            for (Map.Entry<String, Supplier<Object>> variant : variants.entrySet()) {
                long start = System.nanoTime();
                Object result = variant.getValue().get();
                long elapsed = System.nanoTime() - start;
                if (result == null) {
                    throw new IllegalStateException(variant.getKey());
                }
                times.get(variant.getKey()).add(elapsed);
            }
        }
        byte[] fastPng = fast.process(jpeg).output();
        byte[] deflaterPng = DeflaterPng.encode(bgr, width, height);
        System.out.printf("%n%dx%d (%.1f MP), JPEG q90 %d bytes; %d rounds, medians (min-max):%n",
                width, height, width * height / 1e6, jpeg.length, repetitions);
        times.forEach((name, list) -> {
            long[] sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  %-36s %8.2f ms  (%.2f-%.2f)%n", name, sorted[sorted.length / 2] / 1e6, sorted[0] / 1e6,
                    sorted[sorted.length - 1] / 1e6);
        });
        System.out.printf("  PNG bytes: OpenCV %d, ours %d (%+.2f%%), Deflater HUFFMAN_ONLY %d (%+.2f%%)%n",
                stockPng.length, fastPng.length, 100.0 * (fastPng.length - stockPng.length) / stockPng.length,
                deflaterPng.length, 100.0 * (deflaterPng.length - stockPng.length) / stockPng.length);
        System.out.printf("  same pixels (stock vs fast output): %s%n",
                TestImages.decode(fastPng).equals(TestImages.decode(stockPng)));
        swapped.release();
        decoded.release();
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

    /**
     * The alternative our encoder was measured against: the same SUB filter, compressed by the
     * JDK's Deflater (zlib) at level 1 with HUFFMAN_ONLY, in one IDAT. 8-bit, 3 channels only.
     */
    static final class DeflaterPng {
        static byte[] encode(byte[] pixels, int width, int height) {
            int rowBytes = width * 3;
            byte[] filtered = new byte[height * (rowBytes + 1)];
            for (int y = 0, o = 0; y < height; y++) {
                int s = y * rowBytes;
                filtered[o++] = 1;
                for (int i = 0; i < 3; i++) {
                    filtered[o + i] = pixels[s + i];
                }
                for (int i = 3; i < rowBytes; i++) {
                    filtered[o + i] = (byte) (pixels[s + i] - pixels[s + i - 3]);
                }
                o += rowBytes;
            }
            Deflater deflater = new Deflater(1);
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            deflater.setInput(filtered);
            deflater.finish();
            byte[] idat = new byte[filtered.length + filtered.length / 100 + 1024];
            int n = 0;
            while (!deflater.finished()) {
                n += deflater.deflate(idat, n, idat.length - n);
                if (n == idat.length) {
                    idat = Arrays.copyOf(idat, idat.length * 2);
                }
            }
            deflater.end();
            ByteArrayOutputStream out = new ByteArrayOutputStream(n + 64);
            out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                    .put((byte) 0).put((byte) 0).put((byte) 0).array(), 13);
            chunk(out, "IDAT", idat, n);
            chunk(out, "IEND", new byte[0], 0);
            return out.toByteArray();
        }

        private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
            CRC32 crc = new CRC32();
            byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            crc.update(typeBytes);
            crc.update(data, 0, length);
            out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
            out.writeBytes(typeBytes);
            out.write(data, 0, length);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
    }
}
