package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BenchTargetTest {

    @Test
    void grpcTargetNeedsHostAndPort() {
        BenchTarget target = BenchTarget.parse("grpc://127.0.0.1:50051");

        assertThat(target.transport()).isEqualTo(BenchTarget.Transport.GRPC);
        assertThat(target.host()).isEqualTo("127.0.0.1");
        assertThat(target.port()).isEqualTo(50051);
        assertThat(target).hasToString("grpc://127.0.0.1:50051");
    }

    @Test
    void httpTargetWithoutPathPostsToTheProcessEndpoint() {
        BenchTarget target = BenchTarget.parse("http://localhost:8080");

        assertThat(target.transport()).isEqualTo(BenchTarget.Transport.HTTP);
        assertThat(target.httpUri()).isEqualTo(URI.create("http://localhost:8080/api/v1/process"));
    }

    @Test
    void httpTargetKeepsAGivenPath() {
        assertThat(BenchTarget.parse("http://localhost:8080/other/path").httpUri())
                .isEqualTo(URI.create("http://localhost:8080/other/path"));
    }

    @Test
    void httpTargetWithoutPortUsesPort80() {
        assertThat(BenchTarget.parse("http://example.test").port()).isEqualTo(80);
    }

    @Test
    void ipv6LiteralKeepsItsBrackets() {
        assertThat(BenchTarget.parse("http://[::1]:8080").httpUri())
                .isEqualTo(URI.create("http://[::1]:8080/api/v1/process"));
    }

    @Test
    void grpcTargetWithoutPortIsRefused() {
        assertThatThrownBy(() -> BenchTarget.parse("grpc://localhost"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no port");
    }

    @Test
    void grpcTargetWithPathIsRefused() {
        assertThatThrownBy(() -> BenchTarget.parse("grpc://localhost:50051/image.ImageService"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no path");
    }

    @Test
    void unknownSchemeIsRefused() {
        assertThatThrownBy(() -> BenchTarget.parse("ftp://localhost:21"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported target scheme");
    }

    @Test
    void hostPortWithoutSchemeIsRefused() {
        assertThatThrownBy(() -> BenchTarget.parse("localhost:50051"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void severalGrpcServersBecomeOneBalancedChannelTarget() {
        BenchTarget target = BenchTarget.parse("grpc://10.0.0.1:50051, 10.0.0.2:50052");
        assertThat(target.transport()).isEqualTo(BenchTarget.Transport.GRPC);
        assertThat(target.channelTarget()).isEqualTo("10.0.0.1:50051,10.0.0.2:50052");
        assertThat(target).hasToString("grpc://10.0.0.1:50051,10.0.0.2:50052");
    }

    @Test
    void aBadServerInAListIsNamed() {
        assertThatThrownBy(() -> BenchTarget.parse("grpc://10.0.0.1:50051,10.0.0.2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.2");
    }

    @Test
    void aDnsNameIsPassedToGrpcsResolver() {
        BenchTarget target = BenchTarget.parse("dns:///image-service-grpc.default.svc.cluster.local:50051");
        assertThat(target.transport()).isEqualTo(BenchTarget.Transport.GRPC);
        assertThat(target.host()).isEqualTo("image-service-grpc.default.svc.cluster.local");
        assertThat(target.port()).isEqualTo(50051);
        assertThat(target.channelTarget()).isEqualTo("dns:///image-service-grpc.default.svc.cluster.local:50051");
    }
}
