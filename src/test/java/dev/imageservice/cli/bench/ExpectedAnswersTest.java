package dev.imageservice.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.testing.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class ExpectedAnswersTest {
    private final byte[] jpeg = TestImages.encode(TestImages.photoLike(40, 30, 3, 8, 11), ".jpg");
    private final BenchImage image = BenchImage.of("photo.jpg", jpeg);

    @Test
    void anExactSwapIsVerifiedAndLaterAnswersAreComparedByDigest() throws Exception {
        byte[] swapped = png(jpeg, true);
        ExpectedAnswers expected = ExpectedAnswers.take(answering(swapped), List.of(image), Duration.ofSeconds(5));
        LoadStats stats = new LoadStats(expected);

        stats.record(image, ok(swapped), 1000);
        byte[] changed = swapped.clone();
        changed[changed.length - 20] ^= 1; // inside the last chunk: header and size still right
        stats.record(image, ok(changed), 1000);

        assertThat(expected.verifiedImages()).isEqualTo(1);
        assertThat(expected.unverified()).isEmpty();
        assertThat(stats.statuses()).containsOnly(Map.entry("OK", 1L), Map.entry(ExpectedAnswers.WRONG_ANSWER, 1L));
        assertThat(stats.succeeded()).isEqualTo(1);
    }

    @Test
    void anAnswerWithoutTheSwapIsNotVerifiedAndSaysWhy() throws Exception {
        byte[] unswapped = png(jpeg, false);

        ExpectedAnswers expected = ExpectedAnswers.take(answering(unswapped), List.of(image), Duration.ofSeconds(5));

        assertThat(expected.verifiedImages()).isZero();
        assertThat(expected.unverified().get("photo.jpg"))
                .startsWith("its first answer is not the exact swap:").contains("channel values differ");
    }

    @Test
    void aRefusedFirstRequestLeavesTheImageUnverified() throws Exception {
        RequestSender refusing = new RequestSender() {
            @Override
            public CompletableFuture<Outcome> send(BenchImage image, int worker) {
                return CompletableFuture.completedFuture(Outcome.failure("RESOURCE_EXHAUSTED", 0, "the service is overloaded"));
            }

            @Override
            public void close() {
            }
        };

        ExpectedAnswers expected = ExpectedAnswers.take(refusing, List.of(image), Duration.ofSeconds(5));

        assertThat(expected.unverified()).containsEntry("photo.jpg",
                "its first request ended RESOURCE_EXHAUSTED (the service is overloaded)");
        assertThat(expected.any()).isFalse();
    }

    /** The input decoded by OpenCV, its channels swapped or not, as a PNG. */
    private static byte[] png(byte[] input, boolean swap) {
        Mat decoded = Imgcodecs.imdecode(new MatOfByte(input), Imgcodecs.IMREAD_UNCHANGED);
        if (swap) {
            Imgproc.cvtColor(decoded, decoded, Imgproc.COLOR_BGR2RGB);
        }
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".png", decoded, out);
        return out.toArray();
    }

    private static Outcome ok(byte[] body) {
        return new Outcome("OK", true, 1, body.length, java.util.Arrays.copyOf(body, Outcome.HEAD_BYTES), null,
                ExpectedAnswers.digest(body), null);
    }

    private static RequestSender answering(byte[] body) {
        return new RequestSender() {
            @Override
            public CompletableFuture<Outcome> send(BenchImage image, int worker) {
                return CompletableFuture.completedFuture(ok(body));
            }

            @Override
            public CompletableFuture<Outcome> sendKeepingBody(BenchImage image) {
                return CompletableFuture.completedFuture(new Outcome("OK", true, 1, body.length,
                        java.util.Arrays.copyOf(body, Outcome.HEAD_BYTES), null, ExpectedAnswers.digest(body), body));
            }

            @Override
            public void close() {
            }
        };
    }
}
