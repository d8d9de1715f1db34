package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.imageservice.grpc.proto.ImageRequest;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.grpc.proto.Operation;
import dev.imageservice.grpc.proto.Resize;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedImageRequestsTest {

    @SuppressWarnings("unchecked")
    private static MethodDescriptor.Marshaller<ImageRequest> marshaller() {
        ServerServiceDefinition service = ChunkedImageRequests.apply(new ImageServiceGrpc.ImageServiceImplBase() {
        }.bindService());
        assertThat(service.getServiceDescriptor().getSchemaDescriptor()).as("reflection still sees the proto").isNotNull();
        return (MethodDescriptor.Marshaller<ImageRequest>) service
                .getMethod(ImageServiceGrpc.getProcessImageMethod().getFullMethodName()).getMethodDescriptor()
                .getRequestMarshaller();
    }

    @Test
    void aRequestParsesAsProtobufDoesWithItsImageInPiecesOfAtMostOneRegion() {
        byte[] image = new byte[ChunkedImageRequests.PIECE_BYTES * 3 + 12345];
        new Random(1).nextBytes(image);
        ImageRequest request = ImageRequest.newBuilder()
                .addOperations(Operation.newBuilder().setResize(Resize.newBuilder().setWidth(80).setHeight(60)))
                .setImageData(ByteString.copyFrom(image))
                .setQuality(70)
                .build();

        ImageRequest parsed = marshaller().parse(new ByteArrayInputStream(request.toByteArray()));

        assertThat(parsed).isEqualTo(request);
        assertThat(parsed.getImageData().toByteArray()).isEqualTo(image);
        assertThat(parsed.getImageData().asReadOnlyByteBufferList())
                .as("pieces").hasSizeGreaterThan(3)
                .allSatisfy(piece -> assertThat(piece.remaining()).isLessThanOrEqualTo(ChunkedImageRequests.PIECE_BYTES));
    }

    @Test
    void aKnownLengthMessageIsReadInPiecesOfExactSizeOneRegionEach() throws Exception {
        byte[] message = new byte[ChunkedImageRequests.PIECE_BYTES * 2 + 777];
        new Random(2).nextBytes(message);
        ByteString pieces = ChunkedImageRequests.readPieces(new KnownLengthBytes(message));
        assertThat(pieces.toByteArray()).isEqualTo(message);
        assertThat(pieces.asReadOnlyByteBufferList()).extracting(java.nio.ByteBuffer::remaining)
                .containsExactly(ChunkedImageRequests.PIECE_BYTES, ChunkedImageRequests.PIECE_BYTES, 777);
        assertThat(ChunkedImageRequests.readPieces(new ByteArrayInputStream(message)).toByteArray())
                .as("a stream of unknown length").isEqualTo(message);
    }

    /** What gRPC hands a marshaller: a stream that knows how much is left. */
    private static final class KnownLengthBytes extends ByteArrayInputStream implements io.grpc.KnownLength {
        KnownLengthBytes(byte[] data) {
            super(data);
        }
    }

    @Test
    void anEmptyRequestIsTheDefaultOne() {
        assertThat(marshaller().parse(new ByteArrayInputStream(new byte[0]))).isEqualTo(ImageRequest.getDefaultInstance());
    }

    @Test
    void aTruncatedImageFieldIsRefusedAsProtobufsOwnParserDoes() {
        byte[] malformed = {0x0A, (byte) 0xE8, 0x07, 1, 2, 3}; // field 1 claims 1000 bytes, 3 follow
        assertThatThrownBy(() -> marshaller().parse(new ByteArrayInputStream(malformed)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    }
}
