package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code ProcessImage} request with its image kept in pieces of {@link #PIECE_BYTES} (a
 * rope) instead of one array. A waiting request holds its image on the heap until it is admitted;
 * as one array, a 2 MiB photo is a G1 "humongous" object that takes three whole 1 MiB regions, so
 * 200 waiting 12 MP photos took 600 MiB of heap for 400 MiB of data and the heap ran out (G1 at
 * 768 MiB: 90 of 200 calls refused for want of heap). Under G1 a piece is one region less a few
 * bytes: a humongous object filling exactly one region, never copied by a young collection (pieces
 * of ordinary size were, 0.5-1 s pauses with 400 MiB of waiting inputs); under other collectors,
 * 256 KiB. The other fields, small, are parsed as usual; the bytes on the wire are the tutorial's
 * {@code ImageRequest} unchanged. Its answers are marshalled by {@link AnswerMessages}.
 */
public final class ChunkedImageRequests implements MethodDescriptor.Marshaller<ImageRequest> {
    static final int PIECE_BYTES = pieceBytes();
    private static final int IMAGE_DATA_TAG = ImageRequest.IMAGE_DATA_FIELD_NUMBER << 3
            | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final MethodDescriptor.Marshaller<ImageRequest> original;

    private ChunkedImageRequests(MethodDescriptor.Marshaller<ImageRequest> original) {
        this.original = original;
    }

    /** The service with {@code ProcessImage} requests parsed this way. */
    public static ServerServiceDefinition apply(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> kept = method.getMethodDescriptor().getFullMethodName()
                    .equals(ImageServiceGrpc.getProcessImageMethod().getFullMethodName()) ? chunked(method) : method;
            descriptor.addMethod(kept.getMethodDescriptor());
            methods.add(kept);
        }
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(builder::addMethod);
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> ServerMethodDefinition<Q, R> chunked(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> original = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> marshaller = (MethodDescriptor.Marshaller<Q>) new ChunkedImageRequests(
                (MethodDescriptor.Marshaller<ImageRequest>) original.getRequestMarshaller());
        MethodDescriptor.Marshaller<R> answers = (MethodDescriptor.Marshaller<R>) new AnswerMessages(
                (MethodDescriptor.Marshaller<ImageResponse>) original.getResponseMarshaller());
        return ServerMethodDefinition.create(original.toBuilder().setRequestMarshaller(marshaller)
                .setResponseMarshaller(answers).build(), method.getServerCallHandler());
    }

    /** One G1 region less room for the array's header, or 256 KiB when G1 is not the collector. */
    private static int pieceBytes() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                if (region >= (1 << 20) && region <= (64 << 20)) {
                    return (int) region - 64;
                }
            }
        } catch (RuntimeException notHotSpot) {
            // fall through
        }
        return 256 * 1024;
    }

    @Override
    public InputStream stream(ImageRequest value) {
        return original.stream(value);
    }

    @Override
    public ImageRequest parse(InputStream stream) {
        try {
            return parse(readPieces(stream));
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e).asRuntimeException();
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("the request message could not be read").withCause(e).asRuntimeException();
        }
    }

    /**
     * The message in pieces of at most {@link #PIECE_BYTES}, each read once into an array of its exact
     * size (gRPC's stream knows how much is left) and wrapped without a copy. Protobuf's
     * {@code ByteString.readFrom} reads into a buffer of the piece size and then copies it, which
     * allocated every piece twice (two humongous objects under G1).
     */
    static ByteString readPieces(InputStream stream) throws IOException {
        boolean knownLength = stream instanceof KnownLength; // then available() is exactly what is left
        ByteString message = ByteString.EMPTY;
        while (true) {
            int left = knownLength ? stream.available() : PIECE_BYTES;
            if (left == 0) {
                return message;
            }
            byte[] piece = new byte[Math.min(PIECE_BYTES, left)];
            int read = stream.readNBytes(piece, 0, piece.length);
            // Safe: the array is ours, filled here and never written again.
            ByteString wrapped = UnsafeByteOperations.unsafeWrap(piece, 0, read);
            message = message.isEmpty() ? wrapped : message.concat(wrapped);
            if (read < piece.length) {
                return message;
            }
        }
    }

    /** The image as a slice of the message's pieces (no copy); every other field parsed as usual. */
    static ImageRequest parse(ByteString message) throws IOException {
        CodedInputStream in = message.newCodedInput();
        in.setSizeLimit(Integer.MAX_VALUE);
        ByteString image = null;
        ByteString rest = ByteString.EMPTY;
        while (true) {
            int start = in.getTotalBytesRead();
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == IMAGE_DATA_TAG) {
                int length = in.readRawVarint32();
                int from = in.getTotalBytesRead();
                if (length < 0 || length > message.size() - from) {
                    throw new InvalidProtocolBufferException("the image field runs past the end of the message");
                }
                image = message.substring(from, from + length); // the last one wins, as in protobuf
                in.skipRawBytes(length);
            } else if (!in.skipField(tag)) {
                throw new InvalidProtocolBufferException("an end-group tag with no group");
            } else {
                rest = rest.concat(message.substring(start, in.getTotalBytesRead()));
            }
        }
        ImageRequest fields = ImageRequest.parseFrom(rest);
        return image == null ? fields : fields.toBuilder().setImageData(image).build();
    }
}
