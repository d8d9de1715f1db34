package dev.imageservice.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The client on many images: files and the images in directories, sent {@code concurrency} at a
 * time over one channel, each answer written beside its input (or into an output directory) as
 * {@code NAME-processed.EXT}; a progress bar on a terminal, and a summary at the end.
 */
final class BatchRun {
    static final String SUFFIX = "-processed";
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp",
            "pbm", "pgm", "ppm", "pnm", "pam", "jp2", "j2k");

    private final ImageCall call;
    private final String target;
    private final String extension;
    private final Path outputDirectory;
    private final int concurrency;
    private final PrintStream out;
    private final boolean terminal;

    BatchRun(ImageCall call, String target, String extension, Path outputDirectory, int concurrency, PrintStream out,
            boolean terminal) {
        this.call = call;
        this.target = target;
        this.extension = extension;
        this.outputDirectory = outputDirectory;
        this.concurrency = concurrency;
        this.out = out;
        this.terminal = terminal;
    }

    /** One image's outcome: null reason when it was done. */
    record Result(Path input, Path output, long bytesIn, long bytesOut, String failure) {
    }

    /** The files to process: the given files, and the images directly inside the given directories. */
    static List<Path> inputs(List<Path> arguments) {
        List<Path> inputs = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                try (Stream<Path> files = Files.list(argument)) {
                    files.filter(Files::isRegularFile).filter(BatchRun::looksLikeAnImage).sorted().forEach(inputs::add);
                } catch (IOException e) {
                    throw new ClientCommand.ClientException("cannot list " + argument + ": " + e.getMessage());
                }
            } else {
                inputs.add(argument);
            }
        }
        return inputs;
    }

    private static boolean looksLikeAnImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                && !name.substring(0, dot).endsWith(SUFFIX); // our own earlier results
    }

    /** Where the answer for {@code input} goes. */
    Path outputFor(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path directory = outputDirectory != null ? outputDirectory : input.toAbsolutePath().getParent();
        return directory.resolve(stem + SUFFIX + "." + extension);
    }

    /** Processes every input; returns the number that failed. */
    int run(List<Path> inputs) throws InterruptedException {
        long start = System.nanoTime();
        ProgressBar progress = new ProgressBar(System.err, terminal, inputs.size());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong bytesIn = new AtomicLong();
        AtomicLong bytesOut = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, inputs.size())), runnable -> {
            Thread thread = new Thread(runnable, "client-worker");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<Result>> futures = new ArrayList<>();
        try {
            for (Path input : inputs) {
                futures.add(workers.submit(() -> {
                    Result result = processOne(input);
                    bytesIn.addAndGet(result.bytesIn());
                    bytesOut.addAndGet(result.bytesOut());
                    (result.failure() == null ? done : failed).incrementAndGet();
                    progress.update(done.get(), failed.get(), bytesIn.get(), bytesOut.get());
                    return result;
                }));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> future : futures) {
                try {
                    results.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            summary(results, System.nanoTime() - start);
            return failed.get();
        } finally {
            workers.shutdownNow();
        }
    }

    private Result processOne(Path input) {
        Path output = outputFor(input);
        byte[] image;
        try {
            image = Files.readAllBytes(input);
        } catch (IOException e) {
            return new Result(input, output, 0, 0, "cannot read: " + e.getMessage());
        }
        if (output.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize())) {
            return new Result(input, output, image.length, 0, "the answer would overwrite the input");
        }
        try {
            byte[] answer = call.process(image);
            Files.write(output, answer);
            return new Result(input, output, image.length, answer.length, null);
        } catch (StatusRuntimeException e) {
            return new Result(input, output, image.length, 0, ImageCall.describe(e.getStatus(), target));
        } catch (IOException e) {
            return new Result(input, output, image.length, 0, "cannot write " + output + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(input, output, image.length, 0, "interrupted");
        }
    }

    private void summary(List<Result> results, long nanos) {
        long in = 0;
        long outBytes = 0;
        int failures = 0;
        for (Result result : results) {
            in += result.bytesIn();
            outBytes += result.bytesOut();
            if (result.failure() != null) {
                failures++;
                out.println("failed: " + result.input() + ": " + result.failure());
            }
        }
        out.printf(Locale.ROOT, "%d images via %s: %d done, %d failed; %.1f MB in, %.1f MB out; %.1f s%n",
                results.size(), target, results.size() - failures, failures, in / 1e6, outBytes / 1e6, nanos / 1e9);
    }
}
