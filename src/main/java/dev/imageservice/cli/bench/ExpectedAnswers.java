package dev.imageservice.cli.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;

/**
 * The answer each image must get, taken before the load: one request per image whose whole body is
 * checked pixel by pixel ({@link SwapCheck}); its length and CRC-32C then stand for it. The service
 * encodes the same input the same way every time, so during the load every answer is compared by
 * its digest alone, which costs the load generator a few milliseconds a 25 MB answer instead of a
 * PNG decode. An image whose first answer could not be taken or is not the exact swap is reported
 * and then checked by its PNG header only.
 */
public final class ExpectedAnswers {
    /** Status under which answers that differ from the verified one are counted. */
    public static final String WRONG_ANSWER = "wrong answer";

    /** What one image's answer must be, or why it could not be verified. */
    record Expected(boolean verified, long length, long digest, String problem) {
    }

    private final Map<BenchImage, Expected> expected;

    private ExpectedAnswers(Map<BenchImage, Expected> expected) {
        this.expected = expected;
    }

    /** No verification: answers are checked by their PNG header only. */
    public static ExpectedAnswers none() {
        return new ExpectedAnswers(Map.of());
    }

    /** Sends each image once, one after the other, and verifies the answers' pixels. */
    public static ExpectedAnswers take(RequestSender sender, List<BenchImage> images, Duration timeout)
            throws InterruptedException {
        Map<BenchImage, Expected> expected = new HashMap<>();
        for (BenchImage image : images) {
            expected.put(image, verify(sender, image, timeout));
        }
        return new ExpectedAnswers(expected);
    }

    private static Expected verify(RequestSender sender, BenchImage image, Duration timeout) throws InterruptedException {
        Outcome outcome;
        try {
            outcome = sender.sendKeepingBody(image).get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new Expected(false, 0, 0, "its first answer could not be taken: " + e);
        }
        if (!outcome.success()) {
            return new Expected(false, 0, 0, "its first request ended " + outcome.status()
                    + (outcome.detail() == null ? "" : " (" + outcome.detail() + ")"));
        }
        if (outcome.body() == null) {
            return new Expected(false, 0, 0, "the sender cannot keep an answer's body");
        }
        String problem = SwapCheck.problem(image.data(), outcome.body());
        if (problem != null) {
            return new Expected(false, 0, 0, "its first answer is not the exact swap: " + problem);
        }
        return new Expected(true, outcome.body().length, digest(outcome.body()), null);
    }

    /** The CRC-32C of a whole body. */
    static long digest(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        return crc.getValue();
    }

    /**
     * Null when {@code outcome}, a transport success, is the verified answer of {@code image} (or
     * the image has none), else what is wrong.
     */
    String problem(BenchImage image, Outcome outcome) {
        Expected answer = image == null ? null : expected.get(image);
        if (answer == null || !answer.verified()) {
            return null;
        }
        if (outcome.digest() == Outcome.NO_DIGEST) {
            return "the answer's digest was not taken";
        }
        if (outcome.receivedBytes() != answer.length() || outcome.digest() != answer.digest()) {
            return "the answer (" + outcome.receivedBytes() + " B) differs from the verified one (" + answer.length() + " B)";
        }
        return null;
    }

    /** How many of the images have a verified answer. */
    public int verifiedImages() {
        return (int) expected.values().stream().filter(Expected::verified).count();
    }

    /** Per image that could not be verified, why (empty when all were, or none was tried). */
    public Map<String, String> unverified() {
        Map<String, String> problems = new java.util.TreeMap<>();
        expected.forEach((image, answer) -> {
            if (!answer.verified()) {
                problems.put(image.name(), answer.problem());
            }
        });
        return problems;
    }

    /** Whether the answers of the load are compared with verified ones at all. */
    public boolean any() {
        return verifiedImages() > 0;
    }
}
