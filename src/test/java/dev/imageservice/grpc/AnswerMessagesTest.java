package dev.imageservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.processing.OutputPieces;
import dev.imageservice.processing.RegionArrays;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnswerMessagesTest {
    private static final int PIECE = OutputPieces.PIECE_BYTES;
    @SuppressWarnings("unchecked")
    private static final MethodDescriptor.Marshaller<ImageResponse> PROTOBUF =
            (MethodDescriptor.Marshaller<ImageResponse>) ImageServiceGrpc.getProcessImageMethod().getResponseMarshaller();

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static ImageResponse message(byte[] image) {
        return ImageResponse.newBuilder().setImageData(com.google.protobuf.ByteString.copyFrom(image)).build();
    }

    @Test
    void drainedAnswersAreProtobufsBytesAndTheirPiecesGoBack() throws IOException {
        for (int length : new int[] {0, 1, 127, 128, PIECE / 2 + 1, PIECE, 2 * PIECE + 3, 3 * PIECE - 1}) {
            byte[] image = random(length);
            long inUse = RegionArrays.inUse();
            OutputPieces answer = OutputPieces.copyOf(image, 0, image.length);
            AnswerMessages.PiecesStream stream = new AnswerMessages.PiecesStream(answer);
            assertThat(stream).isInstanceOf(Drainable.class).isInstanceOf(KnownLength.class);
            assertThat(stream.available()).as("length %d", length).isEqualTo(message(image).getSerializedSize());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int drained = stream.drainTo(out);

            assertThat(out.toByteArray()).as("length %d", length).isEqualTo(message(image).toByteArray());
            assertThat(drained).isEqualTo(out.size());
            assertThat(stream.available()).isZero();
            assertThat(RegionArrays.inUse()).as("every piece given back once copied").isEqualTo(inUse);
            answer.settle();
            assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        }
    }

    @Test
    void readAnswersParseAsTheMessageAndPiecesGoBackAsTheyAreRead() throws IOException {
        byte[] image = random(2 * PIECE + 12345);
        long inUse = RegionArrays.inUse();
        OutputPieces answer = OutputPieces.copyOf(image, 0, image.length);
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 2);
        InputStream stream = new AnswerMessages.PiecesStream(answer);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(stream.read()); // the tag, byte by byte
        byte[] buffer = new byte[PIECE / 3 + 17]; // reads across the pieces' ends
        int n;
        boolean firstBack = false;
        while ((n = stream.read(buffer, 0, buffer.length)) > 0) {
            out.write(buffer, 0, n);
            if (out.size() > PIECE + 5) {
                firstBack |= RegionArrays.inUse() == inUse + 1;
            }
        }
        assertThat(stream.read()).isEqualTo(-1);

        assertThat(firstBack).as("the first piece went back before the second was read").isTrue();
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
        assertThat(PROTOBUF.parse(new java.io.ByteArrayInputStream(out.toByteArray())).getImageData().toByteArray())
                .isEqualTo(image);
    }

    @Test
    void answersNotSentThroughItAreMarshalledAsProtobufDoes() throws IOException {
        AnswerMessages marshaller = new AnswerMessages(PROTOBUF);
        byte[] image = random(1000);
        try (InputStream stream = marshaller.stream(message(image))) {
            assertThat(stream).isNotInstanceOf(AnswerMessages.PiecesStream.class);
            assertThat(stream.readAllBytes()).isEqualTo(message(image).toByteArray());
        }
    }

    @Test
    void aStreamNeverReadGivesNothingBackAndSettlingEndsItsCount() {
        byte[] image = random(PIECE + 10);
        long inUse = RegionArrays.inUse();
        OutputPieces answer = OutputPieces.copyOf(image, 0, image.length);
        new AnswerMessages.PiecesStream(answer); // e.g. a call cancelled before its answer was framed
        assertThat(RegionArrays.inUse()).isEqualTo(inUse + 1);
        answer.settle();
        assertThat(RegionArrays.inUse()).isEqualTo(inUse);
    }
}
