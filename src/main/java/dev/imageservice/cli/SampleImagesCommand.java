package dev.imageservice.cli;

import dev.imageservice.cli.bench.PhotoLikeImage;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code sample-images DIR}: writes the photo-like JPEGs that the benchmarks use (0.3, 2 and
 * 12 MP), so that load tests can be rerun anywhere with the same inputs.
 */
public class SampleImagesCommand extends Command {

    public SampleImagesCommand() {
        super("sample-images", "Write the synthetic photo-like JPEGs (0.3, 2 and 12 MP) used by the benchmarks");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("directory").help("where to write photo-0.3mp.jpg, photo-2mp.jpg and photo-12mp.jpg");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        Path directory = Path.of(namespace.getString("directory"));
        Files.createDirectories(directory);
        for (PhotoLikeImage.Size size : PhotoLikeImage.Size.values()) {
            Path file = directory.resolve(size.fileName());
            byte[] jpeg = PhotoLikeImage.jpeg(size);
            Files.write(file, jpeg);
            System.out.printf("%s: %dx%d, %d bytes%n", file, size.width(), size.height(), jpeg.length);
        }
    }
}
