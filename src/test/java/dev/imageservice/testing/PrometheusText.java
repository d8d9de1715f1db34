package dev.imageservice.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format (version 0.0.4), for tests: every line must
 * be a comment, a well-formed {@code # TYPE}, or a sample; anything else fails the parse.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern SAMPLE = Pattern.compile("^(" + NAME + ")(?:\\{(.*)})?[ \\t]+(\\S+)(?:[ \\t]+-?\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("\\G\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(?:,|$)");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (" + NAME + ") (\\S+)$");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "summary", "histogram", "untyped");

    private final Map<String, Double> samples;
    private final Map<String, String> types;

    private PrometheusText(Map<String, Double> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    /** Parses an exposition; throws IllegalArgumentException naming the first line that is not valid. */
    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (line.startsWith("# TYPE")) {
                    Matcher type = TYPE.matcher(line);
                    if (!type.matches() || !TYPES.contains(type.group(2))
                            || types.put(type.group(1), type.group(2)) != null) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": bad or repeated TYPE: " + line);
                    }
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a sample: " + line);
            }
            String key = key(sample.group(1), labels(sample.group(2), i + 1));
            if (samples.put(key, value(sample.group(3), i + 1)) != null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": repeated sample " + key);
            }
        }
        return new PrometheusText(samples, types);
    }

    /** The value of one sample, or null if absent; labels as name, value, name, value... */
    public Double value(String name, String... labels) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return samples.get(key(name, map));
    }

    /** The declared type of a metric family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    public int size() {
        return samples.size();
    }

    private static Map<String, String> labels(String text, int lineNumber) {
        Map<String, String> labels = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int end = 0;
        while (end < text.length() && label.find() && label.start() == end) {
            String value = label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
            if (labels.put(label.group(1), value) != null) {
                throw new IllegalArgumentException("line " + lineNumber + ": repeated label " + label.group(1));
            }
            end = label.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("line " + lineNumber + ": bad labels: {" + text + "}");
        }
        return labels;
    }

    private static double value(String text, int lineNumber) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + lineNumber + ": bad value " + text, e);
                }
        }
    }

    private static String key(String name, Map<String, String> labels) {
        return name + labels;
    }
}
