package dev.imageservice;

import dev.imageservice.cli.BenchCommand;
import dev.imageservice.cli.ClientCommand;
import dev.imageservice.cli.SampleImagesCommand;
import dev.imageservice.grpc.GrpcServer;
import dev.imageservice.grpc.ImageGrpcService;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.PipelineImageProcessor;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the image service: one processor, served over gRPC (and later HTTP), run by Dropwizard. */
public class ImageServiceApplication extends Application<ImageServiceConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(ImageServiceApplication.class);

    private GrpcServer grpcServer;

    public static void main(String[] args) throws Exception {
        new ImageServiceApplication().run(args);
    }

    @Override
    public String getName() {
        return "image-service";
    }

    @Override
    public void initialize(Bootstrap<ImageServiceConfiguration> bootstrap) {
        // ${VAR} and ${VAR:-default} in config.yml come from the environment.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addCommand(new ClientCommand());
        bootstrap.addCommand(new BenchCommand());
        bootstrap.addCommand(new SampleImagesCommand());
    }

    @Override
    public void run(ImageServiceConfiguration config, Environment environment) {
        String openCvVersion = OpenCvLibrary.load();
        LOG.info("OpenCV {} loaded", openCvVersion);
        ImageProcessor processor = PipelineImageProcessor.channelSwapToPng();

        grpcServer = config.getGrpc().build(List.of(new ImageGrpcService(processor)));
        environment.lifecycle().manage(grpcServer);
    }

    /** The running gRPC server (after {@link #run}); tests use it to find the bound port. */
    public GrpcServer grpcServer() {
        return grpcServer;
    }
}
