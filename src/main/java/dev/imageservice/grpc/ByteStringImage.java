package dev.imageservice.grpc;

import com.google.protobuf.ByteString;
import dev.imageservice.processing.EncodedImage;

/**
 * A request's image as gRPC parsed it. The processor's checks copy only its head and tail; the
 * full copy is made once the request is admitted, so a call waiting in the queue holds one copy
 * of its image (gRPC's), not two.
 */
final class ByteStringImage implements EncodedImage {
    private final ByteString data;
    private final Runnable onAdmitted;

    ByteStringImage(ByteString data) {
        this(data, () -> { });
    }

    /** @param onAdmitted told when the request is admitted to work (its input no longer waits) */
    ByteStringImage(ByteString data, Runnable onAdmitted) {
        this.data = data;
        this.onAdmitted = onAdmitted;
    }

    @Override
    public void admitted() {
        onAdmitted.run();
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public byte[] head(int n) {
        return data.substring(0, Math.min(n, data.size())).toByteArray();
    }

    @Override
    public byte[] tail(int n) {
        return data.substring(Math.max(0, data.size() - n)).toByteArray();
    }

    @Override
    public byte[] bytes() {
        return data.toByteArray();
    }
}
