package dev.imageservice.cli.bench;

/**
 * What one request came to, as reported by a {@link RequestSender}.
 *
 * @param status        the transport's status: a gRPC code name ("OK", "UNAVAILABLE"), an HTTP
 *                      status ("200", "503"), or a short name for a failure without a status
 * @param success       whether the transport reported success (gRPC OK, HTTP 200)
 * @param sentBytes     bytes of image data sent (0 when no connection could be made)
 * @param receivedBytes bytes of response body (payload) received
 * @param head          the first bytes of the response body (enough for the PNG header, or the
 *                      start of an error body); never null
 * @param detail        a human-readable reason for a failure, or null
 * @param digest        the CRC-32C of the whole body of a success, or {@link #NO_DIGEST}
 * @param body          the whole body, when the sender was asked to keep it; else null
 */
public record Outcome(String status, boolean success, long sentBytes, long receivedBytes, byte[] head, String detail,
                      long digest, byte[] body) {

    /** The digest of an outcome whose body was not digested. */
    public static final long NO_DIGEST = -1;

    /** An outcome without a digest or body. */
    public Outcome(String status, boolean success, long sentBytes, long receivedBytes, byte[] head, String detail) {
        this(status, success, sentBytes, receivedBytes, head, detail, NO_DIGEST, null);
    }

    /** How many leading bytes of a body senders keep: the PNG signature and IHDR, or an error message. */
    public static final int HEAD_BYTES = 256;

    /** A failure that happened before any response arrived (connection refused, timeout, ...). */
    public static Outcome failure(String status, long sentBytes, String detail) {
        return new Outcome(status, false, sentBytes, 0, new byte[0], detail);
    }
}
