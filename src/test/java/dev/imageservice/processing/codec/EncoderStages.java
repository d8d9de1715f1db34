package dev.imageservice.processing.codec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.opencv.core.Mat;

/**
 * The PNG encoder's stages, each run alone over a whole image for {@code CodecBench}: copy out of
 * the Mat, row filters, deflate (count with the Adler-32 + table + emit), the counting pass alone (so
 * deflate less counting is the emission), CRC-32. What the whole encode
 * costs beyond their sum is framing and glue. Lives beside the package-private codec classes.
 */
public final class EncoderStages {
    private static final int STRIP_BYTES = 128 * 1024;

    private EncoderStages() {
    }

    /** Stage name to a task that runs that stage once over {@code image} (8-bit, continuous, B,G,R order kept). */
    public static Map<String, Supplier<Object>> of(Mat image) {
        int width = image.cols();
        int height = image.rows();
        int channels = image.channels();
        int rowBytes = width * channels;
        int rowsPerStrip = Math.max(1, STRIP_BYTES / (rowBytes + 1));
        byte[] raw = new byte[height * rowBytes];
        image.get(0, 0, raw);
        byte[] filtered = new byte[height * (rowBytes + 1)];
        byte[] zeros = new byte[rowBytes];
        for (int y = 0; y < height; y++) {
            PngFilters.filterRow(raw, y * rowBytes, y == 0 ? zeros : raw, y == 0 ? 0 : (y - 1) * rowBytes, rowBytes,
                    channels, filtered, y * (rowBytes + 1));
        }
        int stripFiltered = rowsPerStrip * (rowBytes + 1);
        Map<String, Supplier<Object>> stages = new LinkedHashMap<>();
        stages.put("  stage: copy strips out of Mat", () -> {
            StripReader reader = new StripReader(image, width, channels, 8, null, rowsPerStrip);
            for (int y = 0; y < height; y += rowsPerStrip) {
                reader.read(y, Math.min(rowsPerStrip, height - y));
            }
            return Boolean.TRUE;
        });
        byte[] out = new byte[filtered.length];
        stages.put("  stage: filter rows", () -> {
            for (int y = 0; y < height; y++) {
                PngFilters.filterRow(raw, y * rowBytes, y == 0 ? zeros : raw, y == 0 ? 0 : (y - 1) * rowBytes,
                        rowBytes, channels, out, y * (rowBytes + 1));
            }
            return out;
        });
        stages.put("  stage: deflate (count+Adler+table+emit)", () -> {
            OutputBytes bytes = new OutputBytes(filtered.length * 3 / 4);
            DeflateCoder coder = new DeflateCoder(bytes);
            coder.start();
            for (int s = 0; s < filtered.length; s += stripFiltered) {
                int end = Math.min(filtered.length, s + stripFiltered);
                coder.block(filtered, s, end, end == filtered.length);
            }
            coder.finish();
            return bytes;
        });
        stages.put("  stage: deflate's count+Adler alone", () -> {
            SymbolCounter counter = new SymbolCounter();
            int[] frequencies = new int[286];
            for (int s = 0; s < filtered.length; s += stripFiltered) {
                counter.count(filtered, s, Math.min(filtered.length, s + stripFiltered), frequencies);
            }
            return counter.adler();
        });
        byte[] compressed = new byte[filtered.length * 6 / 10];
        stages.put("  stage: crc32 (of 60% output)", () -> {
            CRC32 crc = new CRC32();
            crc.update(compressed, 0, compressed.length);
            return crc.getValue();
        });
        return stages;
    }
}
