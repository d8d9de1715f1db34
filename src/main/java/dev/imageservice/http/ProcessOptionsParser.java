package dev.imageservice.http;

import dev.imageservice.processing.ImageOperation;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.OutputFormat;
import dev.imageservice.processing.ProcessingOptions;
import dev.imageservice.processing.operation.OperationSyntax;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.glassfish.jersey.media.multipart.FormDataMultiPart;
import org.glassfish.jersey.media.multipart.MultiPart;
import org.glassfish.jersey.uri.UriComponent;

/**
 * The processing options of {@code POST /api/v1/process}, from query parameters and (for a
 * multipart upload, such as the page's form) form fields: repeatable {@code op} (in order; blank
 * values, which forms send for unset choices, are skipped; one value may hold several operations
 * separated by spaces or commas), {@code format} and {@code quality}.
 * Bad values are refused as INVALID_OPTIONS (400) with a message naming the parameter.
 */
public final class ProcessOptionsParser {
    public static final String OP = "op";
    public static final String FORMAT = "format";
    public static final String QUALITY = "quality";

    private ProcessOptionsParser() {
    }

    /** Options of a raw-body upload: the query string only. */
    public static ProcessingOptions fromQuery(HttpServletRequest request) {
        return parse(query(request), List.of(), null, null);
    }

    /** Options of a multipart upload: the query string, then the form fields next to {@code filePart}. */
    public static ProcessingOptions fromForm(HttpServletRequest request, FormDataBodyPart filePart) {
        MultiPart parent = filePart == null ? null : filePart.getParent();
        if (!(parent instanceof FormDataMultiPart form)) {
            return fromQuery(request);
        }
        return parse(query(request), fields(form, OP), last(fields(form, FORMAT)), last(fields(form, QUALITY)));
    }

    static ProcessingOptions parse(MultivaluedMap<String, String> query, List<String> formOps, String formFormat,
            String formQuality) {
        List<String> texts = new ArrayList<>();
        if (query.get(OP) != null) {
            texts.addAll(query.get(OP));
        }
        texts.addAll(formOps);
        texts.removeIf(text -> text == null || text.isBlank());
        // One field may hold several operations separated by spaces (the page's free-text field).
        texts = texts.stream().flatMap(text -> java.util.Arrays.stream(text.trim().split("[\\s,]+"))).toList();
        if (texts.size() > ProcessingOptions.MAX_OPERATIONS) {
            throw ImageProcessingException.invalidOptions("op: " + texts.size() + " operations; at most "
                    + ProcessingOptions.MAX_OPERATIONS + " are allowed");
        }
        List<ImageOperation> operations = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                operations.add(OperationSyntax.parse(text));
            } catch (IllegalArgumentException e) {
                throw ImageProcessingException.invalidOptions("op '" + text + "': " + e.getMessage());
            }
        }
        String format = formFormat != null ? formFormat : query.getFirst(FORMAT);
        String quality = formQuality != null ? formQuality : query.getFirst(QUALITY);
        return new ProcessingOptions(operations, format(format), quality(quality));
    }

    private static OutputFormat format(String text) {
        if (text == null || text.isBlank()) {
            return OutputFormat.PNG;
        }
        String key = text.trim().toLowerCase(Locale.ROOT);
        if (key.equals("jpg")) {
            return OutputFormat.JPEG;
        }
        for (OutputFormat format : OutputFormat.values()) {
            if (format.key().equals(key)) {
                return format;
            }
        }
        throw ImageProcessingException.invalidOptions("format must be png, jpeg or webp, not '" + text + "'");
    }

    private static int quality(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ImageProcessingException.invalidOptions("quality must be 1-100 (0 for the default), not '" + text + "'");
        }
    }

    private static MultivaluedMap<String, String> query(HttpServletRequest request) {
        String query = request == null ? null : request.getQueryString();
        return UriComponent.decodeQuery(query == null ? "" : query, true);
    }

    private static List<String> fields(FormDataMultiPart form, String name) {
        List<FormDataBodyPart> parts = form.getFields(name);
        if (parts == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>(parts.size());
        for (FormDataBodyPart part : parts) {
            values.add(part.getValue());
        }
        return values;
    }

    private static String last(List<String> values) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (!values.get(i).isBlank()) {
                return values.get(i);
            }
        }
        return null;
    }
}
