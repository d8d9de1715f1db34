package dev.imageservice;

import dev.imageservice.cli.ClientCommand;
import dev.imageservice.grpc.GrpcServer;
import dev.imageservice.grpc.ImageGrpcService;
import dev.imageservice.http.HttpApiFactory;
import dev.imageservice.http.ImageProcessingExceptionMapper;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.PipelineImageProcessor;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.forms.MultiPartBundle;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the image service: one processor, served over gRPC and over HTTP (the API under
 * {@code /api/} and the upload page at {@code /}), run by Dropwizard.
 */
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
        bootstrap.addBundle(new MultiPartBundle());
        // The upload page (web/, copied into the jar under assets/) at /; Jersey moves to /api/* in run().
        bootstrap.addBundle(new AssetsBundle("/assets/", "/", "index.html", "upload-page"));
    }

    @Override
    public void run(ImageServiceConfiguration config, Environment environment) {
        String openCvVersion = OpenCvLibrary.load();
        LOG.info("OpenCV {} loaded", openCvVersion);
        ImageProcessor processor = PipelineImageProcessor.channelSwapToPng();

        grpcServer = config.getGrpc().build(List.of(new ImageGrpcService(processor)));
        environment.lifecycle().manage(grpcServer);

        HttpApiFactory http = config.getHttp();
        environment.jersey().setUrlPattern(HttpApiFactory.URL_PATTERN);
        environment.jersey().register(http.buildSizeLimitFilter());
        environment.jersey().register(new ImageProcessingExceptionMapper());
        environment.jersey().register(http.buildResource(processor));
    }

    /** The running gRPC server (after {@link #run}); tests use it to find the bound port. */
    public GrpcServer grpcServer() {
        return grpcServer;
    }
}
