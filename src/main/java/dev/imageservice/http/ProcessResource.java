package dev.imageservice.http;

import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.ProcessingOptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.CompletionCallback;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.glassfish.jersey.media.multipart.BodyPartEntity;
import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.glassfish.jersey.media.multipart.FormDataParam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /api/v1/process}: the image arrives as the file part {@code image} of a multipart
 * form (what the upload page and {@code curl -F image=@photo.jpg} send) or as the raw request body;
 * the answer is the processed PNG. Converts, delegates to the shared processor, and leaves errors
 * to the exception mappers. The request holds no thread while it waits for admission or is
 * processed, and everything it holds counts against the memory budget until its answer is written.
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
    private final AdmissionController budget;
    private final long maxInputBytes;
    private final Executor answers;

    /**
     * @param budget  the memory budget that inputs and unwritten answers count against
     * @param answers writes the answers (a thread per answer being written; a client that stops
     *                reading is cut off by the connector's idle timeout)
     */
    public ProcessResource(ImageProcessor processor, AdmissionController budget, long maxInputBytes, Executor answers) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.maxInputBytes = maxInputBytes;
        this.answers = Objects.requireNonNull(answers, "answers");
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public void processUpload(@FormDataParam(FILE_PART) FormDataBodyPart part,
            @Context HttpServletRequest request, @Suspended AsyncResponse response) throws IOException {
        if (part == null) {
            throw new BadRequestException("missing file part '" + FILE_PART
                    + "': send the image as multipart/form-data field '" + FILE_PART + "'");
        }
        String fileName = part.getContentDisposition() == null ? null : part.getContentDisposition().getFileName();
        ProcessingOptions options = ProcessOptionsParser.fromForm(request, part);
        // Jersey has parsed the form before this method runs, keeping the image in a temporary file
        // (parts over 4 KiB): it stays there while the request waits, and only its head is read
        // before admission, the rest on admission (DeferredBody), as for a raw body.
        if (part.getEntity() instanceof BodyPartEntity entity) {
            SpooledPart spooled = SpooledPart.of(entity, maxInputBytes);
            response.register((CompletionCallback) failure -> spooled.delete());
            try {
                EncodedImage image = spooled.size() == 0 ? EncodedImage.of(new byte[0])
                        : new DeferredBody(spooled.open(), (int) spooled.size(), budget, false);
                AdmissionController.Lease held = image instanceof DeferredBody deferred ? deferred.lease() : budget.tryHold(0);
                process(image, held, (int) spooled.size(), fileName, options, request, response);
                return;
            } catch (IOException | RuntimeException e) {
                spooled.delete();
                throw e;
            }
        }
        byte[] input;
        try (InputStream in = part.getValueAs(InputStream.class)) {
            input = BoundedInput.readAtMost(in, maxInputBytes);
        }
        process(EncodedImage.of(input), budget.tryHold(input.length), input.length, fileName, options, request, response);
    }

    @POST
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    public void processBody(InputStream body, @Context HttpServletRequest request, @Suspended AsyncResponse response)
            throws IOException {
        ProcessingOptions options = ProcessOptionsParser.fromQuery(request);
        long declared = request.getContentLengthLong();
        if (declared > 0 && declared <= maxInputBytes) {
            // Only the head is read now; the rest once the image is admitted (the filter refused a
            // larger declared length with 413 before anything was read).
            DeferredBody deferred;
            try {
                deferred = new DeferredBody(body, (int) declared, budget, true);
            } catch (RuntimeException refused) { // shutting down: refused before anything was read
                DeferredBody.drain(body, declared);
                throw refused;
            }
            process(deferred, deferred.lease(), (int) declared, null, options, request, response);
            return;
        }
        // A body of unknown length (chunked) is read whole and then counted.
        byte[] data = BoundedInput.readAtMost(body, maxInputBytes);
        process(EncodedImage.of(data), budget.tryHold(data.length), data.length, null, options, request, response);
    }

    /** Waits for the processor without holding this thread; the answer is written by {@link #answers}. */
    private void process(EncodedImage input, AdmissionController.Lease inputMemory, int inputBytes, String uploadName,
            ProcessingOptions options, HttpServletRequest request, AsyncResponse response) {
        CompletableFuture<ProcessedImage> work;
        try {
            work = processor.processAsync(input, options, HttpRequestContexts.of(request));
        } catch (RuntimeException e) {
            inputMemory.close();
            throw e;
        }
        HttpRequestContexts.onCallerGone(request, () -> work.cancel(false));
        // Called once the answer is written (or could not be): everything the request held goes back.
        response.register((CompletionCallback) failure -> {
            inputMemory.close();
            work.cancel(false);
            work.thenAccept(ProcessedImage::release);
        });
        // The request's log context (its request id, trace) goes along to the thread that answers,
        // so that its log lines and any internal-error id carry them.
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        work.whenCompleteAsync((result, failure) -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                answer(result, failure, input, inputBytes, uploadName, options, response);
            } finally {
                MDC.clear();
            }
        }, answers);
    }

    private static void answer(ProcessedImage result, Throwable failure, EncodedImage input, int inputBytes,
            String uploadName, ProcessingOptions options, AsyncResponse response) {
        {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause.getCause() instanceof DeferredBody.ReadFailure read) {
                    cause = read.getCause(); // the body could not be read: mapped like any read error
                } else if (input instanceof DeferredBody deferred) {
                    deferred.drainRest(); // refused with the body partly unread: let the refusal arrive
                }
                LOG.info("POST /api/v1/process refused: in={} B: {}", inputBytes, cause.getMessage());
                response.resume(cause);
                return;
            }
            if (LOG.isInfoEnabled()) {
                LOG.info("POST /api/v1/process ok: in={} B out={} B image={} {} in {} ms", inputBytes,
                        result.outputLength(), result.info(), result.inputFormat().displayName(),
                        millis(result.totalNanos()));
            }
            response.resume(answer(result, uploadName, options));
        }
    }

    private static Response answer(ProcessedImage result, String uploadName, ProcessingOptions options) {
        return Response.ok(new AnswerPieces(result.encoded()), result.contentType())
                // Known up front: lets clients show download progress instead of a chunked stream.
                .header(HttpHeaders.CONTENT_LENGTH, result.outputLength())
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
