package dev.imageservice.ops.logging;

import ch.qos.logback.core.spi.DeferredProcessingAware;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.ConsoleAppenderFactory;

/**
 * Dropwizard's console appender under the name {@code console-text}, the twin of
 * {@link JsonConsoleAppenderFactory}, so that config.yml picks one with
 * {@code type: console-${LOG_FORMAT:-text}}.
 */
@JsonTypeName("console-text")
public class TextConsoleAppenderFactory<E extends DeferredProcessingAware> extends ConsoleAppenderFactory<E> {
}
