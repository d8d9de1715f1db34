package dev.imageservice.ops.requests;

import io.dropwizard.jersey.errors.IllegalStateExceptionMapper;
import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.ext.Provider;

/**
 * Dropwizard's mapper of unexpected exceptions (a bug becomes a 500 with an id, the log gets the id
 * and the stack trace; a WebApplicationException keeps its status), with the request's id as that
 * id and the same message as the processing errors: {@code internal error (id <request id>)}.
 * It maps RuntimeException, so that Jersey prefers it (the closer type) to Dropwizard's own mapper
 * of Throwable; {@link ForIllegalState} does the same for Dropwizard's IllegalStateException mapper.
 */
@Provider
public final class RequestIdExceptionMapper extends LoggingExceptionMapper<RuntimeException> {

    @Override
    protected void logException(long ignored, RuntimeException exception) {
        log(this, exception);
    }

    @Override
    protected String formatErrorMessage(long ignored, RuntimeException exception) {
        return message();
    }

    static void log(LoggingExceptionMapper<?> mapper, Throwable exception) {
        org.slf4j.LoggerFactory.getLogger(RequestIdExceptionMapper.class)
                .error("internal error {} while handling a request", RequestIds.currentOrCreate(), exception);
    }

    static String message() {
        return "internal error (id " + RequestIds.currentOrCreate() + ")";
    }

    /** Dropwizard's IllegalStateException mapper (it turns a form-content-type error into a 415), with request ids. */
    @Provider
    @Priority(1) // before Dropwizard's own, which maps the same type
    public static final class ForIllegalState extends IllegalStateExceptionMapper {
        @Override
        protected void logException(long ignored, IllegalStateException exception) {
            log(this, exception);
        }

        @Override
        protected String formatErrorMessage(long ignored, IllegalStateException exception) {
            return message();
        }
    }
}
