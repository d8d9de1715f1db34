package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class QuietStreamResetsTest {
    @Test
    void dropsOnlyTheWritesCancelledByAStreamReset() {
        QuietStreamResets.install();
        QuietStreamResets.install();
        Filter filter = QuietStreamResets.installed();
        assertThat(filter).isInstanceOf(QuietStreamResets.class);

        assertThat(filter.isLoggable(record(Http2Exception.streamError(3, Http2Error.STREAM_CLOSED,
                "Stream closed before write could take place")))).isFalse();
        assertThat(filter.isLoggable(record(Http2Exception.streamError(3, Http2Error.PROTOCOL_ERROR,
                "Received DATA frame for an unknown stream 3")))).isTrue();
        assertThat(filter.isLoggable(record(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                "Stream closed before write could take place")))).isTrue();
        assertThat(filter.isLoggable(record(null))).isTrue();
    }

    private static LogRecord record(Throwable thrown) {
        LogRecord record = new LogRecord(Level.WARNING, "Stream Error");
        record.setThrown(thrown);
        return record;
    }
}
