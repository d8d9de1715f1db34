package dev.imageservice.http;

import dev.imageservice.processing.OutputPieces;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer's bytes written in pieces of {@link #PIECE_BYTES}, so Jetty never holds a second copy
 * of a large answer, from the answer's own pieces (one heap region each; never joined into one
 * array), each piece's array given back to the pool once written ({@link OutputPieces#recyclePiece}).
 * A client that stops reading is cut by the connector's idle timeout; that is
 * the client's doing, so it is logged as one INFO line and handed on as an {@link EofException},
 * which Dropwizard's {@code EofExceptionWriterInterceptor} counts ({@code eof-exceptions}) and logs
 * at DEBUG, instead of Jersey's ERROR with three stack traces (eclipse-ee4j/jersey#4420).
 */
final class AnswerPieces implements StreamingOutput {
    static final int PIECE_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AnswerPieces.class);

    private final OutputPieces answer;

    AnswerPieces(OutputPieces answer) {
        this.answer = answer;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        long offset = 0;
        try {
            for (int i = 0, count = answer.count(); i < count; i++) {
                byte[] piece = answer.array(i);
                int length = answer.length(i);
                for (int at = 0; at < length; at += PIECE_BYTES) {
                    int n = Math.min(PIECE_BYTES, length - at);
                    out.write(piece, at, n);
                    offset += n;
                }
                // Written: the stream has taken its bytes (OutputStream's contract), so its array
                // goes back to the pool. After a failed write it is left to the collector instead.
                answer.recyclePiece(i);
            }
        } catch (EofException gone) {
            throw gone;
        } catch (IOException e) {
            if (!timedOut(e)) {
                throw e;
            }
            LOG.info("Answer cut: the client did not read it within the idle timeout ({} of {} B handed to the connection)",
                    offset, answer.length());
            EofException cut = new EofException("the client did not read the answer in time");
            cut.initCause(e);
            throw cut;
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
