package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ops.requests.RequestIds;
import dev.imageservice.processing.ImageProcessingException;
import dev.imageservice.processing.ImageProcessingException.Kind;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;
import org.glassfish.jersey.server.internal.LocalizationMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Every kind of throwable the HTTP API can meet, through the one mapper: status, body, headers. */
class ApiExceptionMapperTest {
    private final ApiExceptionMapper mapper = new ApiExceptionMapper();

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void processingRefusalsKeepTheirKindsStatusAndMessage() {
        assertAnswer(new ImageProcessingException(Kind.INVALID_IMAGE, "not an image"), 400, "not an image");
        assertAnswer(new ImageProcessingException(Kind.UNSUPPORTED_FORMAT, "GIF"), 415, "GIF");
        assertAnswer(new ImageProcessingException(Kind.TOO_MANY_BYTES, "too big"), 413, "too big");
        assertAnswer(new ImageProcessingException(Kind.TOO_MANY_PIXELS, "too many"), 422, "too many");
        assertAnswer(new ImageProcessingException(Kind.DEADLINE_EXCEEDED, "late"), 503, "late");
        assertAnswer(new ImageProcessingException(Kind.CANCELLED, "gone"), 499, "gone");
    }

    @Test
    void overloadAndShutdownSayWhenToRetry() {
        Response overloaded = mapper.toResponse(new ImageProcessingException(Kind.OVERLOADED, "busy"));
        Response stopping = mapper.toResponse(new CompletionException(new ImageProcessingException(Kind.SHUTTING_DOWN, "bye")));

        assertThat(overloaded.getStatus()).isEqualTo(503);
        assertThat(overloaded.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(stopping.getStatus()).isEqualTo(503);
        assertThat(stopping.getHeaderString("Retry-After")).isEqualTo("1");
    }

    @Test
    void outOfMemoryIsARefusalNotABug() {
        Response response = mapper.toResponse(new OutOfMemoryError("Java heap space"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(message(response)).doesNotContain("heap");
    }

    @Test
    void everyBugIsOne500WithTheRequestIdAndNoDetail() {
        MDC.put(RequestIds.MDC_REQUEST_ID, "req-42");

        for (Throwable bug : new Throwable[] {new IllegalStateException("secret detail"), new NullPointerException(),
                new AssertionError("secret detail"), new Exception("checked"),
                new ImageProcessingException(Kind.INTERNAL, "secret detail")}) {
            Response response = mapper.toResponse(bug);
            assertThat(response.getStatus()).as("%s", bug).isEqualTo(500);
            assertThat(message(response)).as("%s", bug).isEqualTo("internal error (id req-42)");
        }
    }

    @Test
    void webApplicationExceptionsKeepTheirStatusAndHeaders() {
        assertAnswer(new NotFoundException(), 404, "HTTP 404 Not Found");
        Response unavailable = mapper.toResponse(new ServiceUnavailableException(7L));
        assertThat(unavailable.getStatus()).isEqualTo(503);
        assertThat(unavailable.getHeaderString("Retry-After")).isEqualTo("7");
    }

    @Test
    void aFormContentTypeMistakeIs415() {
        assertThat(mapper.toResponse(new IllegalStateException(LocalizationMessages.FORM_PARAM_CONTENT_TYPE_ERROR()))
                .getStatus()).isEqualTo(415);
    }

    @Test
    void bodiesThatStopOrEndEarlyAreTheClientsDoingAndCloseTheConnection() {
        Response stalled = mapper.toResponse(new IOException(new SocketTimeoutException("idle")));
        Response shortBody = mapper.toResponse(new EofException("early EOF"));
        Response slow = mapper.toResponse(new BadMessageException(408, "Request content data rate < 1024 B/s"));

        assertThat(stalled.getStatus()).isEqualTo(408);
        assertThat(shortBody.getStatus()).isEqualTo(400);
        assertThat(slow.getStatus()).isEqualTo(408);
        for (Response response : new Response[] {stalled, shortBody, slow}) {
            assertThat(response.getHeaderString("Connection")).isEqualTo("close");
        }
    }

    @Test
    void aCancelledRequestIs499() {
        assertThat(mapper.toResponse(new CancellationException()).getStatus()).isEqualTo(499);
    }

    private void assertAnswer(Throwable failure, int status, String message) {
        Response response = mapper.toResponse(failure);
        assertThat(response.getStatus()).as("%s", failure).isEqualTo(status);
        assertThat(response.getMediaType().toString()).isEqualTo("application/json");
        assertThat(message(response)).isEqualTo(message);
        assertThat(((ErrorMessage) response.getEntity()).getCode()).isEqualTo(status);
    }

    private static String message(Response response) {
        return ((ErrorMessage) response.getEntity()).getMessage();
    }
}
