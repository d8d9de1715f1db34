package dev.imageservice.http;

import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.glassfish.jersey.media.multipart.FormDataParam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/process}: the image arrives as the file part {@code image} of a multipart
 * form (what the upload page and {@code curl -F image=@photo.jpg} send) or as the raw request body;
 * the answer is the processed PNG. Converts, delegates to the shared processor, and leaves errors
 * to the exception mappers.
 */
@Path("/v1/process")
public final class ProcessResource {
    /** Where Jersey is mounted; everything else on the application port is the upload page. */
    public static final String URL_PATTERN = "/api/*";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessResource.class);

    /** Name of the multipart field that carries the image. */
    public static final String FILE_PART = "image";
    /** Milliseconds the processor spent on the image (decode, transform, encode). */
    public static final String PROCESSING_TIME_HEADER = "X-Processing-Time-Ms";
    public static final String WIDTH_HEADER = "X-Image-Width";
    public static final String HEIGHT_HEADER = "X-Image-Height";
    /** The input's container format as recognised by the service, e.g. "JPEG". */
    public static final String INPUT_FORMAT_HEADER = "X-Input-Format";

    private final ImageProcessor processor;
    private final long maxInputBytes;

    public ProcessResource(ImageProcessor processor, long maxInputBytes) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.maxInputBytes = maxInputBytes;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response processUpload(@FormDataParam(FILE_PART) FormDataBodyPart part,
            @Context HttpServletRequest request) throws IOException {
        if (part == null) {
            throw new BadRequestException("missing file part '" + FILE_PART
                    + "': send the image as multipart/form-data field '" + FILE_PART + "'");
        }
        String fileName = part.getContentDisposition() == null ? null : part.getContentDisposition().getFileName();
        try (InputStream in = part.getValueAs(InputStream.class)) {
            return process(BoundedInput.readAtMost(in, maxInputBytes), fileName, request,
                    ProcessOptionsParser.fromForm(request, part));
        }
    }

    @POST
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    public Response processBody(InputStream body, @Context HttpServletRequest request) throws IOException {
        return process(BoundedInput.readAtMost(body, maxInputBytes), null, request, ProcessOptionsParser.fromQuery(request));
    }

    private Response process(byte[] input, String uploadName, HttpServletRequest request, ProcessingOptions options) {
        ProcessedImage result;
        try {
            // Built once the body is read: only then can the request wait (for admission).
            result = processor.process(EncodedImage.of(input), options, HttpRequestContexts.of(request));
        } catch (ImageProcessingException e) {
            LOG.info("POST /api/v1/process refused: in={} B: {}", input.length, e.getMessage());
            throw e;
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("POST /api/v1/process ok: in={} B out={} B image={} {} in {} ms", input.length,
                    result.output().length, result.info(), result.inputFormat().displayName(),
                    millis(result.totalNanos()));
        }
        return Response.ok(result.output(), result.contentType())
                // Known up front: lets clients show download progress instead of a chunked stream.
                .header(HttpHeaders.CONTENT_LENGTH, result.output().length)
                .header(HttpHeaders.CONTENT_DISPOSITION, DownloadNames.inlineDisposition(uploadName, options.format().extension()))
                .header(PROCESSING_TIME_HEADER, millis(result.totalNanos()))
                .header(WIDTH_HEADER, result.info().width())
                .header(HEIGHT_HEADER, result.info().height())
                .header(INPUT_FORMAT_HEADER, result.inputFormat().displayName())
                // Each answer is computed for one upload: nothing for a shared cache to keep.
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
