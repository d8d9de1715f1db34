package dev.imageservice.cli.bench;

import dev.imageservice.cli.ClientSecurity;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.zip.CRC32C;

/**
 * Posts images to the HTTP endpoint with the JDK's non-blocking client over HTTP/1.1, either as
 * multipart/form-data (part {@value #PART_NAME}, like the upload page and k6's http.js) or as a raw
 * body with the image's media type. Responses are streamed: only their length and first bytes are
 * kept, so hundreds of large PNGs in flight cost the load generator no memory.
 *
 * <p>Without {@code newConnectionPerRequest} the client keeps one pooled keep-alive connection per
 * request in flight. With it, every request carries {@code Connection: close}, so the server closes
 * the connection after answering and the next request has to open a new one.
 */
public final class HttpRequestSender implements RequestSender {
    /** The form field that carries the image. */
    public static final String PART_NAME = "image";

    private static final String RESTRICTED_HEADERS_PROPERTY = "jdk.httpclient.allowRestrictedHeaders";
    private static final String BOUNDARY = "image-service-bench-7f3c2a91";

    static {
        // The JDK client refuses to set Connection unless told otherwise. The property is read
        // once, when the client's internals are first loaded, so it must be set before that.
        String allowed = System.getProperty(RESTRICTED_HEADERS_PROPERTY, "");
        if (Arrays.stream(allowed.split(",")).noneMatch(h -> h.trim().equalsIgnoreCase("connection"))) {
            System.setProperty(RESTRICTED_HEADERS_PROPERTY, allowed.isBlank() ? "connection" : allowed + ",connection");
        }
    }

    /** How the image is put into the request body. */
    public enum BodyKind { MULTIPART, RAW }

    private final HttpClient client;
    private final Map<BenchImage, HttpRequest> requests = new IdentityHashMap<>();

    public HttpRequestSender(BenchTarget target, List<BenchImage> images, boolean newConnectionPerRequest,
                             BodyKind bodyKind, Duration timeout, Executor callbacks) {
        this(target, images, newConnectionPerRequest, bodyKind, timeout, callbacks, ClientSecurity.NONE);
    }

    /** As above, over TLS (https) and with an API key as {@code security} says. */
    public HttpRequestSender(BenchTarget target, List<BenchImage> images, boolean newConnectionPerRequest,
                             BodyKind bodyKind, Duration timeout, Executor callbacks, ClientSecurity security) {
        if (target.transport() != BenchTarget.Transport.HTTP) {
            throw new IllegalArgumentException("not an HTTP target: " + target);
        }
        HttpClient.Builder clientBuilder = HttpClient.newBuilder();
        if (security.httpSslContext() != null) {
            clientBuilder.sslContext(security.httpSslContext());
        }
        this.client = clientBuilder
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(callbacks)
                .build();
        for (BenchImage image : images) {
            HttpRequest.Builder request = security.applyTo(HttpRequest.newBuilder(target.httpUri(security.tls())).timeout(timeout));
            if (bodyKind == BodyKind.MULTIPART) {
                request.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(image)));
            } else {
                request.header("Content-Type", image.mediaType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(image.data()));
            }
            if (newConnectionPerRequest) {
                try {
                    request.header("Connection", "close");
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("this JVM's HTTP client was loaded before the bench could allow"
                            + " the Connection header; run with -D" + RESTRICTED_HEADERS_PROPERTY + "=connection", e);
                }
            }
            requests.put(image, request.build());
        }
    }

    /** The multipart/form-data body for one image, built once and reused for every request. */
    static byte[] multipart(BenchImage image) {
        String filename = image.name().replace("\"", "").replace("\r", "").replace("\n", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream(image.data().length + 256);
        body.writeBytes(("--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"" + PART_NAME + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + image.mediaType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image.data());
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    @Override
    public CompletableFuture<Outcome> send(BenchImage image, int worker) {
        return send(image, false);
    }

    @Override
    public CompletableFuture<Outcome> sendKeepingBody(BenchImage image) {
        return send(image, true);
    }

    private CompletableFuture<Outcome> send(BenchImage image, boolean keepBody) {
        HttpRequest request = requests.get(image);
        if (request == null) {
            throw new IllegalArgumentException("unknown image " + image.name());
        }
        long sent = image.data().length;
        return client.sendAsync(request, info -> HttpResponse.BodySubscribers.fromSubscriber(
                        new HeadKeeper(keepBody), HeadKeeper::result))
                .handle((response, error) -> error == null
                        ? outcome(response.statusCode(), response.body(), sent)
                        : failure(error, sent));
    }

    private static Outcome outcome(int statusCode, HeadKeeper.Body body, long sent) {
        boolean ok = statusCode == 200;
        String detail = ok ? null : new String(body.head(), StandardCharsets.UTF_8).strip();
        return new Outcome(Integer.toString(statusCode), ok, sent, body.length(), body.head(), detail,
                ok ? body.digest() : Outcome.NO_DIGEST, ok ? body.whole() : null);
    }

    private static Outcome failure(Throwable error, long sent) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String status;
        if (cause instanceof HttpConnectTimeoutException) {
            status = "connect timeout";
        } else if (cause instanceof HttpTimeoutException) {
            status = "timeout";
        } else if (cause instanceof ConnectException) {
            status = "connection refused";
        } else {
            status = cause.getClass().getSimpleName().replaceAll("Exception$", "").toLowerCase(Locale.ROOT) + " error";
        }
        // No connection, so nothing was sent; after a timeout the request probably was.
        return Outcome.failure(status, cause instanceof ConnectException ? 0 : sent, String.valueOf(cause.getMessage()));
    }

    @Override
    public void close() {
        // Java 17's HttpClient has no close(): its selector thread ends once the client is unreachable.
    }

    /**
     * Counts the body's bytes, digests them (CRC-32C) and keeps the first {@link Outcome#HEAD_BYTES}
     * of them, or all of them when asked to.
     */
    private static final class HeadKeeper implements Flow.Subscriber<List<ByteBuffer>> {
        record Body(long length, byte[] head, long digest, byte[] whole) {
        }

        private final byte[] head = new byte[Outcome.HEAD_BYTES];
        private final CRC32C crc = new CRC32C();
        private final ByteArrayOutputStream whole;
        private int headLength;
        private long length;

        HeadKeeper(boolean keepWhole) {
            whole = keepWhole ? new ByteArrayOutputStream() : null;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int remaining = buffer.remaining();
                if (whole != null) {
                    byte[] copy = new byte[remaining];
                    buffer.duplicate().get(copy);
                    whole.writeBytes(copy);
                }
                crc.update(buffer.duplicate());
                int take = Math.min(remaining, head.length - headLength);
                if (take > 0) {
                    buffer.get(head, headLength, take);
                    headLength += take;
                }
                length += remaining;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // The client completes the response future exceptionally; nothing to keep.
        }

        @Override
        public void onComplete() {
        }

        Body result() {
            return new Body(length, Arrays.copyOf(head, headLength), crc.getValue(), whole == null ? null : whole.toByteArray());
        }
    }
}
