package dev.imageservice.ops.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.EncodedImage;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.ProcessedImage;
import dev.imageservice.processing.RequestContext;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Request ids and traces on both transports of the real application: the caller's id is echoed and
 * is in the log lines and internal-error messages of its request; a {@code traceparent} makes the
 * request's server span a child of the caller's, with a child span per stage. Spans go to the SDK's
 * in-memory exporter.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RequestIdsAndTracesTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT_SPAN_ID = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    /** When set, the processor fails with a bug (not a refusal). */
    static final AtomicBoolean BROKEN = new AtomicBoolean();
    /** When set, the processor fails with an Error (not an Exception): no mapper of ours saw one before. */
    static final AtomicBoolean BROKEN_BY_ERROR = new AtomicBoolean();

    public static class TracedApp extends ImageServiceApplication {
        @Override
        protected Tracing createTracing() {
            return Tracing.of(OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build());
        }

        @Override
        protected ImageProcessor createProcessor(Limits limits, dev.imageservice.processing.AdmissionController admission,
                java.util.concurrent.Executor workers) {
            ImageProcessor real = super.createProcessor(limits, admission, workers);
            return new ImageProcessor() {
                @Override
                public ProcessedImage process(EncodedImage input, RequestContext context) {
                    if (BROKEN.get()) {
                        throw new IllegalStateException("a bug");
                    }
                    if (BROKEN_BY_ERROR.get()) {
                        throw new AssertionError("a bug that is an Error");
                    }
                    return real.process(input, context);
                }
            };
        }
    }

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            TracedApp.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts());

    private static ManagedChannel channel;
    private static byte[] image;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void connect() {
        channel = GrpcTestChannels.localhost(AppUnderTest.grpcPort(APP));
        image = TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 5), ".jpg");
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcTestChannels.close(channel);
    }

    @BeforeEach
    void captureLogs() {
        SPANS.reset();
        BROKEN.set(false);
        BROKEN_BY_ERROR.set(false);
        logs.start();
        Logger service = (Logger) LoggerFactory.getLogger("dev.imageservice");
        service.setLevel(ch.qos.logback.classic.Level.INFO);
        service.addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger("dev.imageservice")).detachAppender(logs);
        BROKEN.set(false);
    }

    @Test
    void grpcEchoesTheCallersIdAndLogsWithIt() {
        Metadata sent = new Metadata();
        sent.put(GrpcRequestInterceptor.REQUEST_ID, "caller-id-42");
        var headers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
        var trailers = new java.util.concurrent.atomic.AtomicReference<Metadata>();

        ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .processImage(request(image));

        assertThat(headers.get().get(GrpcRequestInterceptor.REQUEST_ID)).isEqualTo("caller-id-42");
        assertThat(trailers.get().get(GrpcRequestInterceptor.REQUEST_ID)).isEqualTo("caller-id-42");
        awaitLine("caller-id-42", "ProcessImage ok");
    }

    @Test
    void grpcMakesAnIdWhenTheCallerSendsNoneOrNonsense() {
        Metadata sent = new Metadata();
        sent.put(GrpcRequestInterceptor.REQUEST_ID, "spaces and \"quotes\"");
        var headers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
        var trailers = new java.util.concurrent.atomic.AtomicReference<Metadata>();

        assertThatThrownBy(() -> ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
                        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .processImage(request("not an image".getBytes())))
                .isInstanceOf(StatusRuntimeException.class);

        String made = trailers.get().get(GrpcRequestInterceptor.REQUEST_ID);
        assertThat(made).matches("[0-9a-f]{16}");
        awaitLine(made, "ProcessImage refused");
    }

    @Test
    void anInternalErrorOnGrpcCarriesTheRequestId() {
        BROKEN.set(true);
        Metadata sent = new Metadata();
        sent.put(GrpcRequestInterceptor.REQUEST_ID, "bug-hunt-1");

        assertThatThrownBy(() -> ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent))
                .processImage(request(image)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).isEqualTo("internal error (id bug-hunt-1)");
                });
        awaitLine("bug-hunt-1", "internal error bug-hunt-1");
        assertThat(List.copyOf(logs.list)).anyMatch(event -> event.getLevel() == ch.qos.logback.classic.Level.ERROR
                && "bug-hunt-1".equals(event.getMDCPropertyMap().get(RequestIds.MDC_REQUEST_ID))
                && event.getFormattedMessage().contains("bug-hunt-1"));
    }

    @Test
    void httpEchoesTheCallersIdOrMakesOne() throws Exception {
        HttpResponse<String> given = post(image, "X-Request-Id", "http-caller-7");
        HttpResponse<String> none = post(image);

        assertThat(given.statusCode()).isEqualTo(200);
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("http-caller-7");
        awaitLine("http-caller-7", "POST /api/v1/process ok");
        assertThat(none.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16}"));
        // Pages and other non-API paths get an id too.
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base() + "/")).build(), BodyHandlers.ofString());
        assertThat(page.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void anInternalErrorOnHttpCarriesTheRequestId() throws Exception {
        BROKEN.set(true);

        HttpResponse<String> response = post(image, "X-Request-Id", "http-bug-3");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("internal error (id http-bug-3)");
    }

    @Test
    void anErrorOnHttpIsTheSame500WithTheRequestIdAsAnException() throws Exception {
        BROKEN_BY_ERROR.set(true);

        HttpResponse<String> response = post(image, "X-Request-Id", "http-bug-4");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"code\":500,\"message\":\"internal error (id http-bug-4)\"}");
        awaitLine("http-bug-4", "internal error http-bug-4");
    }

    @Test
    void grpcSpanIsAChildOfTheCallersTraceWithAStageSpanEach() {
        Metadata sent = new Metadata();
        sent.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), TRACEPARENT);

        ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent))
                .processImage(request(image));

        SpanData server = serverSpan("image.ImageService/ProcessImage");
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(server.getAttributes().get(AttributeKey.longKey("image.input.bytes"))).isEqualTo(image.length);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("image.input.format"))).isEqualTo("JPEG");
        assertThat(server.getAttributes().get(AttributeKey.longKey("image.width"))).isEqualTo(40L);
        assertThat(server.getAttributes().get(AttributeKey.longKey("image.output.bytes"))).isPositive();
        assertStageSpansUnder(server);
    }

    @Test
    void httpSpanIsAChildOfTheCallersTraceWithAStageSpanEach() throws Exception {
        assertThat(post(image, "traceparent", TRACEPARENT).statusCode()).isEqualTo(200);

        SpanData server = serverSpan("POST /api/v1/process");
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertStageSpansUnder(server);
    }

    @Test
    void withoutTraceparentEachRequestStartsATraceOfItsOwn() throws Exception {
        assertThat(post(image).statusCode()).isEqualTo(200);

        SpanData server = serverSpan("POST /api/v1/process");
        assertThat(server.getTraceId()).isNotEqualTo(TRACE_ID);
        assertThat(server.getParentSpanContext().isValid()).isFalse();
    }

    private static void assertStageSpansUnder(SpanData server) {
        List<SpanData> children = SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getParentSpanId().equals(server.getSpanId()))
                .collect(Collectors.toList());
        assertThat(children).extracting(SpanData::getName)
                .containsExactly("queue", "decode", "operation swap-channels", "encode");
        for (SpanData child : children) {
            assertThat(child.getTraceId()).isEqualTo(server.getTraceId());
            assertThat(child.getStartEpochNanos()).isBetween(server.getStartEpochNanos() - 5_000_000, server.getEndEpochNanos());
            assertThat(child.getEndEpochNanos()).isGreaterThanOrEqualTo(child.getStartEpochNanos());
        }
    }

    private static SpanData serverSpan(String name) {
        // The answer may reach the client a moment before the span ends.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && SPANS.getFinishedSpanItems().stream()
                .noneMatch(span -> span.getKind() == SpanKind.SERVER && span.getName().equals(name))) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<SpanData> servers = SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.SERVER && span.getName().equals(name))
                .collect(Collectors.toList());
        assertThat(servers).as("server spans named " + name + " in " + SPANS.getFinishedSpanItems()).hasSize(1);
        return servers.get(0);
    }

    /** Waits for a message that starts with {@code start}, logged with {@code requestId} in its MDC. */
    private void awaitLine(String requestId, String start) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (List.copyOf(logs.list).stream()
                    .filter(event -> requestId.equals(event.getMDCPropertyMap().get(RequestIds.MDC_REQUEST_ID)))
                    .anyMatch(event -> event.getFormattedMessage().startsWith(start))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("no line \"" + start + "...\" with request id " + requestId + " in "
                + List.copyOf(logs.list).stream().map(e -> e.getMDCPropertyMap() + " " + e.getFormattedMessage())
                        .collect(Collectors.joining("\n")));
    }

    private HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/v1/process"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private static String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }

    private static ImageRequest request(byte[] bytes) {
        return ImageRequest.newBuilder().setImageData(ByteString.copyFrom(bytes)).build();
    }
}
