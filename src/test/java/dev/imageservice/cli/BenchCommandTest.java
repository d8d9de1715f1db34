package dev.imageservice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageservice.cli.bench.BenchOptions;
import dev.imageservice.cli.bench.BenchTarget;
import dev.imageservice.cli.bench.HttpRequestSender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.sourceforge.argparse4j.ArgumentParsers;
import net.sourceforge.argparse4j.inf.ArgumentParser;
import net.sourceforge.argparse4j.inf.ArgumentParserException;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    private final BenchCommand command = new BenchCommand();
    private ArgumentParser parser;
    @TempDir
    Path dir;
    private Path image;

    @BeforeEach
    void setUp() throws IOException {
        parser = ArgumentParsers.newFor("image-service").build();
        Subparser subparser = parser.addSubparsers().addParser(command.getName());
        command.configure(subparser);
        image = Files.write(dir.resolve("in.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0});
    }

    private BenchOptions parse(String... args) throws ArgumentParserException {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        Namespace namespace = parser.parseArgs(all);
        return BenchCommand.options(namespace);
    }

    @Test
    void defaultsAreAShortKeepAliveGrpcRun() throws Exception {
        BenchOptions options = parse(image.toString());

        assertThat(options.target()).isEqualTo(BenchTarget.parse("grpc://localhost:50051"));
        assertThat(options.load().concurrency()).isEqualTo(16);
        assertThat(options.load().ramp()).isEqualTo(Duration.ZERO);
        assertThat(options.load().duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.load().requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.newConnectionPerRequest()).isFalse();
        assertThat(options.connections()).isEqualTo(1);
        assertThat(options.httpBody()).isEqualTo(HttpRequestSender.BodyKind.MULTIPART);
        assertThat(options.serverPid()).isNull();
        assertThat(options.images()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("in.jpg");
            assertThat(i.mediaType()).isEqualTo("image/jpeg");
        });
    }

    @Test
    void everyOptionIsHonoured() throws Exception {
        BenchOptions options = parse("--target", "http://127.0.0.1:8080", "--concurrency", "200",
                "--duration", "1500ms", "--ramp", "1s", "--timeout", "2m", "--new-connection-per-request",
                "--connections", "4", "--http-body", "raw", "--server-pid", "4242", image.toString(), image.toString());

        assertThat(options.target().transport()).isEqualTo(BenchTarget.Transport.HTTP);
        assertThat(options.load().concurrency()).isEqualTo(200);
        assertThat(options.load().duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(options.load().ramp()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.load().requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.newConnectionPerRequest()).isTrue();
        assertThat(options.connections()).isEqualTo(4);
        assertThat(options.httpBody()).isEqualTo(HttpRequestSender.BodyKind.RAW);
        assertThat(options.serverPid()).isEqualTo(4242L);
        assertThat(options.images()).hasSize(2);
    }

    @Test
    void badDurationNamesTheOption() {
        assertThatThrownBy(() -> parse("--duration", "ten", image.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--duration: not a duration: ten (try 10s, 1500ms, 1m)");
    }

    @Test
    void zeroConcurrencyIsRefused() {
        assertThatThrownBy(() -> parse("--concurrency", "0", image.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency must be at least 1");
    }

    @Test
    void missingImageFileIsReported() {
        assertThatThrownBy(() -> parse(dir.resolve("nope.jpg").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
    }

    @Test
    void atLeastOneImageIsRequired() {
        assertThatThrownBy(() -> parser.parseArgs(new String[] {"bench"}))
                .isInstanceOf(ArgumentParserException.class);
    }
}
