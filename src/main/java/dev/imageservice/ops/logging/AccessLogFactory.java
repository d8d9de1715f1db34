package dev.imageservice.ops.logging;

import ch.qos.logback.access.jetty.RequestLogImpl;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import org.eclipse.jetty.server.RequestLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropwizard's logback-access request log, whose own status messages (logback-access prints them
 * to stdout as plain text when it starts) go to the application log instead, in its format: a JSON
 * log stays one object per line, and a warning is still a WARN line. Select it with
 * {@code server.requestLog.type: access-log}.
 */
@JsonTypeName("access-log")
public class AccessLogFactory extends LogbackAccessRequestLogFactory {
    private static final Logger LOG = LoggerFactory.getLogger("logback-access");

    @Override
    public RequestLog build(String name) {
        RequestLog log = super.build(name);
        if (log instanceof RequestLogImpl logback) {
            logback.setQuiet(true);
            logback.getStatusManager().add(AccessLogFactory::toLog);
        }
        return log;
    }

    private static void toLog(Status status) {
        switch (status.getLevel()) {
            case Status.ERROR -> LOG.error(status.getMessage(), status.getThrowable());
            case Status.WARN -> LOG.warn(status.getMessage(), status.getThrowable());
            default -> LOG.debug(status.getMessage());
        }
    }
}
