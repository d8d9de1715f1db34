package dev.imageservice.grpc;

import dev.imageservice.grpc.proto.ImageChunk;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.AdmissionController;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.ReadAheadGate;
import dev.imageservice.processing.RequestContext;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;


/**
 * {@code image.ImageService} over gRPC: converts messages, delegates to the processor, maps errors
 * ({@link GrpcStatuses}). No call holds a thread while it waits for admission.
 */
public final class ImageGrpcService implements ImageServiceGrpc.AsyncService, io.grpc.BindableService {
    /** Size of the chunks in which {@code ProcessImageStream} sends its answer. */
    public static final int STREAM_CHUNK_BYTES = ImageStreamCall.RESPONSE_CHUNK_BYTES;

    private final ImageProcessor processor;
    private final AdmissionController budget;
    private final ReadAheadGate gate;
    private final long maxInputBytes;
    private final long idleTimeoutNanos;
    private final ScheduledExecutorService timer;

    /**
     * @param budget           the memory budget that inputs and unwritten answers count against
     * @param gate             where {@code ProcessImage} calls wait, unread, for room to read their message
     * @param maxInputBytes    the byte limit, enforced on streamed uploads as chunks arrive
     * @param idleTimeoutNanos how long a client may send nothing (streaming) or leave its answer unread
     * @param timer            runs the idle and stall checks (a few field reads each)
     */
    public ImageGrpcService(ImageProcessor processor, AdmissionController budget, ReadAheadGate gate,
            long maxInputBytes, long idleTimeoutNanos, ScheduledExecutorService timer) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.maxInputBytes = maxInputBytes;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    @Override
    public StreamObserver<ImageChunk> processImageStream(StreamObserver<ImageChunk> responses) {
        return new ImageStreamCall((ServerCallStreamObserver<ImageChunk>) responses, processor, budget, maxInputBytes,
                idleTimeoutNanos, timer);
    }

    /**
     * The generated service with {@code ProcessImage} served by {@link UnaryImageCall}: manual flow
     * control (its message is asked for only once there is room to read it), not grpc-java's unary
     * handler, which asks for the message as the call starts.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = ImageServiceGrpc.bindService(this);
        String processImage = ImageServiceGrpc.getProcessImageMethod().getFullMethodName();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(generated.getServiceDescriptor());
        for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
            if (method.getMethodDescriptor().getFullMethodName().equals(processImage)) {
                service.addMethod(ImageServiceGrpc.getProcessImageMethod(), this::startProcessImage);
            } else {
                service.addMethod(method);
            }
        }
        return service.build();
    }

    private ServerCall.Listener<ImageRequest> startProcessImage(ServerCall<ImageRequest, ImageResponse> call,
            Metadata headers) {
        return UnaryImageCall.start(call, processor, gate, idleTimeoutNanos, timer);
    }

    /** The caller's deadline, cancellation and name, as the processor understands them. */
    static RequestContext requestContext() {
        Context context = Context.current();
        Deadline deadline = context.getDeadline();
        return (deadline == null
                ? RequestContext.withoutDeadline(context::isCancelled)
                : RequestContext.withDeadline(deadline.timeRemaining(TimeUnit.NANOSECONDS), context::isCancelled))
                .withClient(CallerName.current()); // fair shares of the admission queue
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
