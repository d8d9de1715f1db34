package dev.imageservice.grpc;

import com.google.protobuf.CodedOutputStream;
import dev.imageservice.grpc.proto.ImageResponse;
import dev.imageservice.processing.OutputPieces;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The marshaller of {@code ProcessImage} answers: an answer sent with {@link #send} is serialized
 * straight from its pieces, and each piece's array goes back to the pool
 * ({@link OutputPieces#recyclePiece}) as soon as its bytes have been copied out, by gRPC's framer
 * into its framing buffers (Netty) or by the reader of the stream (in-process). So the pool needs
 * room for one answer and one framing buffer, not for an answer and its framed copy; and a piece is
 * given back only once copied, whatever the transport does with the stream afterwards (the
 * in-process transport hands it to the client, which reads it later or never). Pieces not copied
 * (a call cancelled before its answer was framed) are left to the collector when the answer's
 * memory is released. Any other answer is marshalled as protobuf does; the bytes on the wire are
 * the same {@code ImageResponse}.
 */
final class AnswerMessages implements MethodDescriptor.Marshaller<ImageResponse> {
    /** The answer being sent on this thread: gRPC calls {@link #stream} inside {@code sendMessage}. */
    private static final ThreadLocal<OutputPieces> SENDING = new ThreadLocal<>();

    private final MethodDescriptor.Marshaller<ImageResponse> original;

    AnswerMessages(MethodDescriptor.Marshaller<ImageResponse> original) {
        this.original = original;
    }

    /** Sends {@code answer} as the call's {@code ImageResponse}. */
    static void send(ServerCall<?, ImageResponse> call, OutputPieces answer) {
        ImageResponse message = ImageResponse.newBuilder().setImageData(AnswerBytes.of(answer)).build();
        SENDING.set(answer);
        try {
            call.sendMessage(message);
        } finally {
            SENDING.remove();
        }
    }

    @Override
    public InputStream stream(ImageResponse value) {
        OutputPieces answer = SENDING.get();
        if (answer != null && value.getSerializedSize() == serializedSize(answer.length())
                && value.getImageData().size() == answer.length()) {
            SENDING.remove(); // one message per answer
            return new PiecesStream(answer);
        }
        return original.stream(value);
    }

    @Override
    public ImageResponse parse(InputStream stream) {
        return original.parse(stream);
    }

    /** The size of an {@code ImageResponse} holding {@code imageBytes} (its only field). */
    static int serializedSize(int imageBytes) {
        return imageBytes == 0 ? 0
                : CodedOutputStream.computeTagSize(ImageResponse.IMAGE_DATA_FIELD_NUMBER)
                        + CodedOutputStream.computeUInt32SizeNoTag(imageBytes) + imageBytes;
    }

    /** The message's bytes: field 1's tag and length, then the pieces, each given back once read. */
    static final class PiecesStream extends InputStream implements Drainable, KnownLength {
        private final OutputPieces answer;
        private final int pieces;
        private byte[] current;
        private int currentLength;
        /** The piece being read: -1 for the tag and length. */
        private int index = -1;
        private int offset;
        private int left;

        PiecesStream(OutputPieces answer) {
            this.answer = answer;
            this.pieces = answer.length() == 0 ? 0 : answer.count();
            int size = serializedSize(answer.length());
            byte[] head = new byte[size - answer.length()];
            if (head.length > 0) {
                CodedOutputStream out = CodedOutputStream.newInstance(head);
                try {
                    out.writeTag(ImageResponse.IMAGE_DATA_FIELD_NUMBER, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(answer.length());
                    out.checkNoSpaceLeft();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            this.current = head;
            this.currentLength = head.length;
            this.left = size;
        }

        @Override
        public int available() {
            return left;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int at, int length) {
            if (length == 0) {
                return 0;
            }
            if (!advance()) {
                return -1;
            }
            int n = Math.min(length, currentLength - offset);
            System.arraycopy(current, offset, into, at, n);
            consumed(n);
            return n;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int total = 0;
            while (advance()) {
                int n = currentLength - offset;
                target.write(current, offset, n);
                consumed(n);
                total += n;
            }
            return total;
        }

        /** Moves to the next piece when the current one is read; false at the end. */
        private boolean advance() {
            while (offset == currentLength) {
                if (index + 1 >= pieces) {
                    return false;
                }
                index++;
                current = answer.array(index);
                currentLength = answer.length(index);
                offset = 0;
            }
            return true;
        }

        private void consumed(int n) {
            offset += n;
            left -= n;
            if (offset == currentLength && index >= 0) {
                current = null; // not kept past its return to the pool
                currentLength = 0;
                offset = 0;
                answer.recyclePiece(index);
            }
        }
    }
}
