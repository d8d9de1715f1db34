package dev.imageservice;

import dev.imageservice.cli.BenchCommand;
import dev.imageservice.cli.ClientCommand;
import dev.imageservice.cli.SampleImagesCommand;
import dev.imageservice.config.ProcessingFactory;
import dev.imageservice.grpc.GrpcServer;
import dev.imageservice.grpc.ImageGrpcService;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.ops.metrics.AdmissionGauges;
import dev.imageservice.ops.health.CodecsHealthCheck;
import dev.imageservice.ops.lifecycle.GracefulExit;
import dev.imageservice.ops.health.GrpcHealthReporter;
import dev.imageservice.ops.metrics.GrpcMetricsInterceptor;
import dev.imageservice.ops.health.GrpcServerHealthCheck;
import dev.imageservice.ops.metrics.HttpMetricsFilter;
import dev.imageservice.ops.metrics.LoadSignalGauges;
import dev.imageservice.ops.metrics.MeteredImageProcessor;
import dev.imageservice.ops.health.ProcessorHealthCheck;
import dev.imageservice.ops.metrics.PrometheusExposition;
import dev.imageservice.ops.metrics.PrometheusMetrics;
import dev.imageservice.ops.lifecycle.ReadyLogger;
import dev.imageservice.ops.lifecycle.ThreadPriorities;
import dev.imageservice.ops.requests.GrpcRequestInterceptor;
import dev.imageservice.ops.status.StatusSampler;
import dev.imageservice.ops.status.StatusServlet;
import dev.imageservice.ops.requests.HttpRequestFilter;
import dev.imageservice.ops.requests.TracedImageProcessor;
import dev.imageservice.ops.requests.Tracing;
import dev.imageservice.ops.health.ReadinessServlet;
import dev.imageservice.ops.health.ShutdownHealthCheck;
import dev.imageservice.http.ActiveLimits;
import dev.imageservice.http.ApiExceptionMapper;
import dev.imageservice.http.LimitsResource;
import dev.imageservice.http.ProcessResource;
import dev.imageservice.http.RequestSizeLimitFilter;
import dev.imageservice.http.UnreadBodyCloser;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.Limits;
import dev.imageservice.processing.OpenCvLibrary;
import dev.imageservice.processing.ReadAheadGate;
import dev.imageservice.processing.AdmissionController;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.dropwizard.forms.MultiPartBundle;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the image service: one processor, served over gRPC and over HTTP (the API under
 * {@code /api/} and the upload page at {@code /}), run by Dropwizard.
 */
public class ImageServiceApplication extends Application<ImageServiceConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(ImageServiceApplication.class);

    /** Threads that write HTTP answers (a slow reader holds one until Jetty's idle timeout). */
    private static final int HTTP_ANSWER_THREADS = 32;

    private GrpcServer grpcServer;
    private ProcessingFactory processing = new ProcessingFactory();

    public static void main(String[] args) throws Exception {
        dev.imageservice.ops.lifecycle.NativeMemoryTuning.apply(); // before the threads that malloc exist
        dev.imageservice.ops.logging.NativeStderr.routeIntoLog(); // libpng/libjpeg/OpenCV messages into the log
        if (args.length > 0 && "server".equals(args[0])) {
            // A planned stop (SIGTERM from a process manager, Ctrl-C) drains and exits 0, not 143.
            GracefulExit.onTerminationSignals();
        }
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
        bootstrap.addBundle(new MultiPartBundle());
        // The upload page (web/, copied into the jar under assets/) at /; Jersey moves to /api/* in run().
        bootstrap.addBundle(new AssetsBundle("/assets/", "/", "index.html", "upload-page"));
    }

    @Override
    public void run(ImageServiceConfiguration config, Environment environment) {
        // Loading the native library takes ~0.5 s: at startup, not on the first request.
        String openCvVersion = OpenCvLibrary.load();
        LOG.info("OpenCV {} loaded", openCvVersion);
        Limits limits = config.getLimits().build();
        processing = config.getProcessing();
        if (processing.getCodecs().fullSpeed()) {
            LOG.info("Codecs: {}", processing.getCodecs().describe());
        } else {
            LOG.warn("Codecs: {}", processing.getCodecs().describe());
        }
        // The one memory budget and its queue, shared by the processor and both transports.
        AdmissionController admission = new AdmissionController(limits);
        // Image work runs here, at most limits.maxConcurrent at once (admission sees to that).
        ExecutorService workers = environment.lifecycle().executorService("image-work-%d")
                .threadFactory(ThreadPriorities.lowered("image-work-%d", config.getOps().getImageWorkNice()))
                .minThreads(limits.maxConcurrent()).maxThreads(limits.maxConcurrent()).build();
        ScheduledExecutorService timer = environment.lifecycle().scheduledExecutorService("image-timer-%d").build();
        // gRPC ProcessImage calls wait here, unread, for room to read their message; they count as queued.
        ReadAheadGate unreadCalls = new ReadAheadGate(admission, limits, ReadAheadGate.defaultReadAheadBytes(admission), timer);
        AdmissionGauges.register(environment.metrics(), admission, unreadCalls::waiting);
        AdmissionGauges.registerLimits(environment.metrics(), limits);
        ImageProcessor processor = createProcessor(limits, admission, workers);
        // Transports get the metered processor; the health check gets the bare one, so that health
        // checks never count as traffic.
        PrometheusMetrics prometheus = new PrometheusMetrics();
        Tracing tracing = createTracing();
        environment.lifecycle().manage(tracing);
        LOG.info("Tracing: {}", tracing.isOn() ? "on, exported by OTLP" : "off (no OTEL_EXPORTER_OTLP_ENDPOINT)");
        ImageProcessor metered = new TracedImageProcessor(
                new MeteredImageProcessor(processor, environment.metrics(), prometheus), tracing);
        LoadSignalGauges.register(environment.metrics(), admission, limits, unreadCalls::waiting);

        // TLS on both transports when security.tls is set (before the servers are built).
        config.getSecurity().applyTls(config.getServerFactory(), config.getGrpc());

        HealthStatusManager grpcHealth = new HealthStatusManager();
        // SERVING only once the health checks below have passed (the reporter runs them on start).
        grpcHealth.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        grpcServer = config.getGrpc().build(environment.lifecycle(),
                List.of(guarded(new ImageGrpcService(metered, admission, unreadCalls, limits.maxInputBytes(),
                                config.getGrpc().getStreamIdleTimeout().toNanoseconds(), timer)),
                        grpcHealth.getHealthService(),
                        ProtoReflectionServiceV1.newInstance(),
                        // v1alpha: older grpcurl and k6 releases speak only this one.
                        reflectionV1Alpha()),
                grpcInterceptors(config, environment, prometheus, tracing),
                limits);
        environment.lifecycle().manage(grpcServer);

        // Probes get the last result at once; the probe image itself waits for admission in the background.
        environment.healthChecks().register("processor", new dev.imageservice.ops.health.CachedHealthCheck(
                new ProcessorHealthCheck(processor),
                environment.lifecycle().executorService("health-refresh-%d").minThreads(1).maxThreads(1).build(),
                java.util.concurrent.TimeUnit.SECONDS.toNanos(2)));
        // The thread deadlock check stops the whole process at a safepoint: cached, not run per probe.
        dev.imageservice.ops.health.ProbeSafeChecks.cacheDeadlockCheck(environment.healthChecks(),
                environment.lifecycle().executorService("deadlock-check-%d").minThreads(1).maxThreads(1).build());
        environment.healthChecks().register("grpc-server", new GrpcServerHealthCheck(grpcServer));
        environment.healthChecks().register("codecs", new CodecsHealthCheck(processing.getCodecs()));
        // Managed after the gRPC server, so it starts after it (and its first check sees it serving).
        GrpcHealthReporter grpcHealthReporter = config.getOps().buildGrpcHealthReporter(grpcHealth,
                environment.healthChecks(),
                List.of(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ImageServiceGrpc.SERVICE_NAME));
        environment.lifecycle().manage(grpcHealthReporter);
        // The admin /healthcheck turns 500 when shutdown begins, as gRPC health turns NOT_SERVING.
        environment.healthChecks().register("shutdown", new ShutdownHealthCheck(grpcHealthReporter));
        // Admin GET /ready: the gRPC health status over HTTP for proxies (scripts/local-cluster.sh).
        environment.admin().addServlet("ready", new ReadinessServlet(grpcHealthReporter)).addMapping("/ready");
        // Jetty stops accepting HTTP by itself when it stops; gRPC must be told at the same moment.
        environment.lifecycle().addEventListener(
                config.getOps().buildShutdownSequence(grpcHealthReporter,
                        // Requests still waiting that could not be done within the grace period are
                        // refused at once (UNAVAILABLE / 503), so their clients retry elsewhere.
                        List.of(grpcServer::stopAccepting, () -> admission.shutdown(Math.min(
                                config.getGrpc().getShutdownGracePeriod().toNanoseconds(), httpGraceNanos(config))))));

        // Request ids (and the API's server spans) for everything on the application port.
        environment.servlets().addFilter("request-ids", new HttpRequestFilter(tracing, "/api/"))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        // The HTTP API under /api/*; the rest of the application port is the upload page.
        environment.jersey().setUrlPattern(ProcessResource.URL_PATTERN);
        environment.jersey().register(new RequestSizeLimitFilter(limits.maxInputBytes()));
        registerErrorMapping(config, environment);
        environment.jersey().register(new UnreadBodyCloser());
        environment.jersey().register(new ProcessResource(metered, admission, limits.maxInputBytes(),
                environment.lifecycle().executorService("http-answer-%d").minThreads(HTTP_ANSWER_THREADS)
                        .maxThreads(HTTP_ANSWER_THREADS).allowCoreThreadTimeOut(true).build()));
        environment.jersey().register(new LimitsResource(ActiveLimits.of(limits, admission, ImageGrpcService.STREAM_CHUNK_BYTES,
                config.getGrpc().getStreamIdleTimeout().toMilliseconds())));
        environment.jersey().register(new HttpMetricsFilter(environment.metrics(), prometheus));
        config.getSecurity().registerHttp(environment); // API keys, headers, CORS, JSON errors
        // The live status page (web/status.html) reads this every second.
        StatusSampler status = new StatusSampler(prometheus, environment.metrics());
        environment.lifecycle().manage(status);
        environment.servlets().addServlet("status", new StatusServlet(status, environment.getObjectMapper()))
                .addMapping("/status.json");
        environment.admin().addServlet("prometheus", PrometheusExposition.servlet(environment.metrics(), prometheus))
                .addMapping("/prometheus");

        // Once shutdown begins, an answer to a slow reader is not cut after 1 s without progress.
        environment.lifecycle().addServerLifecycleListener(new dev.imageservice.ops.lifecycle.ShutdownIdleTimeout());
        environment.lifecycle().addServerLifecycleListener(
                new ReadyLogger(getName(), grpcServer::getPort, openCvVersion));
    }

    /**
     * The processor behind every transport, counting against {@code admission} and working on
     * {@code workers}; tests override this to supply a broken or gated one.
     */
    protected ImageProcessor createProcessor(Limits limits, AdmissionController admission, Executor workers) {
        return processing.build(limits, admission, workers);
    }

    /**
     * Every throwable on the HTTP API maps in one place: Dropwizard's default mappers (which would
     * compete with it type by type) are off; its writer interceptor for clients that leave early stays.
     */
    private static void registerErrorMapping(ImageServiceConfiguration config, Environment environment) {
        if (config.getServerFactory() instanceof io.dropwizard.core.server.AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        environment.jersey().register(new ApiExceptionMapper());
        environment.jersey().register(io.dropwizard.jersey.errors.EofExceptionWriterInterceptor.class);
    }

    private static long httpGraceNanos(ImageServiceConfiguration config) {
        return config.getServerFactory() instanceof io.dropwizard.core.server.AbstractServerFactory server
                ? server.getShutdownGracePeriod().toNanoseconds() : Long.MAX_VALUE;
    }

    /** Unreadable request messages answered INVALID_ARGUMENT / RESOURCE_EXHAUSTED instead of UNKNOWN. */
    private static io.grpc.BindableService guarded(io.grpc.BindableService service) {
        io.grpc.ServerServiceDefinition definition = dev.imageservice.grpc.MalformedMessages.guard(
                dev.imageservice.grpc.ChunkedImageRequests.apply(service.bindService())); // images parsed in pieces
        return () -> definition;
    }

    /**
     * Security's interceptors (API keys), then metrics, then request ids and trace: the last sees a
     * call first, so ids and the trace come first, and refusals are counted and logged with them.
     */
    private static List<io.grpc.ServerInterceptor> grpcInterceptors(ImageServiceConfiguration config, Environment environment,
            PrometheusMetrics prometheus, Tracing tracing) {
        List<io.grpc.ServerInterceptor> interceptors = new java.util.ArrayList<>(
                config.getSecurity().grpcInterceptors(environment.metrics(), ImageServiceGrpc.SERVICE_NAME));
        interceptors.add(new GrpcMetricsInterceptor(environment.metrics(), prometheus));
        interceptors.add(new GrpcRequestInterceptor(tracing, Set.of(ImageServiceGrpc.SERVICE_NAME)));
        return interceptors;
    }

    /** Tracing from the standard OTEL_* environment variables; tests override this to catch spans. */
    protected Tracing createTracing() {
        return Tracing.fromEnvironment(System.getenv());
    }

    @SuppressWarnings("deprecation")
    private static io.grpc.BindableService reflectionV1Alpha() {
        return ProtoReflectionService.newInstance();
    }

    /** The running gRPC server (after {@link #run}); tests use it to find the bound port. */
    public GrpcServer grpcServer() {
        return grpcServer;
    }
}
