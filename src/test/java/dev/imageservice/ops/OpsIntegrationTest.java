package dev.imageservice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.ops.health.CachedHealthCheck;
import dev.imageservice.ops.lifecycle.ReadyLogger;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.AppUnderTest;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The running service, as an operator sees it: health, gRPC health, reflection, the ready line. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpsIntegrationTest {

    /** The real application, plus a log appender that catches the ready line. */
    public static class ReadyLineCapturingApp extends ImageServiceApplication {
        static final ListAppender<ILoggingEvent> READY_LINES = new ListAppender<>();

        @Override
        public void run(ImageServiceConfiguration config, Environment environment) {
            // Dropwizard has configured logging by now, so the appender is not reset away.
            READY_LINES.start();
            ((Logger) LoggerFactory.getLogger(ReadyLogger.class)).addAppender(READY_LINES);
            super.run(config, environment);
        }
    }

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            ReadyLineCapturingApp.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts());

    private static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = GrpcTestChannels.localhost(((ImageServiceApplication) APP.getApplication()).grpcServer().getPort());
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        GrpcTestChannels.close(channel);
    }

    @Test
    void healthcheckIsHealthyWithEveryCheckPassing() throws Exception {
        Response response = APP.client().target("http://localhost:" + APP.getAdminPort() + "/healthcheck").request().get();
        String body = response.readEntity(String.class);

        assertThat(response.getStatus()).as(body).isEqualTo(200);
        JsonNode checks = APP.getObjectMapper().readTree(body);
        assertThat(checks.path("processor").path("healthy").asBoolean()).isTrue();
        assertThat(checks.path("processor").path("message").asText()).startsWith("swapped the channels of a 3x2 PNG");
        assertThat(checks.path("grpc-server").path("healthy").asBoolean()).isTrue();
        assertThat(checks.path("grpc-server").path("message").asText())
                .isEqualTo("serving on port " + ((ImageServiceApplication) APP.getApplication()).grpcServer().getPort());
        assertThat(checks.path("deadlocks").path("healthy").asBoolean()).isTrue();
        assertThat(APP.getEnvironment().healthChecks().getHealthCheck("deadlocks"))
                .as("the deadlock search (a safepoint) is not run per probe").isInstanceOf(CachedHealthCheck.class);
    }

    @Test
    void grpcHealthIsServingForTheServerAndTheImageService() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("image.ImageService").build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void reflectionV1ListsAndDescribesTheImageService() throws Exception {
        Function<StreamObserver<ServerReflectionResponse>, StreamObserver<ServerReflectionRequest>> open =
                ServerReflectionGrpc.newStub(channel)::serverReflectionInfo;

        ServerReflectionResponse list = askOnce(open, ServerReflectionRequest.newBuilder().setListServices("").build());
        ServerReflectionResponse file = askOnce(open,
                ServerReflectionRequest.newBuilder().setFileContainingSymbol("image.ImageService").build());

        assertThat(list.getListServicesResponse().getServiceList()).extracting(s -> s.getName())
                .contains("image.ImageService", "grpc.health.v1.Health",
                        "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
        assertThat(methodsOfImageService(file.getFileDescriptorResponse().getFileDescriptorProtoList()))
                .containsExactly("ProcessImage", "ProcessImageStream");
    }

    @Test
    void reflectionV1AlphaListsAndDescribesTheImageService() throws Exception {
        Function<StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionResponse>,
                StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest>> open =
                io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)::serverReflectionInfo;

        var list = askOnce(open, io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        var file = askOnce(open, io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("image.ImageService").build());

        assertThat(list.getListServicesResponse().getServiceList()).extracting(s -> s.getName())
                .contains("image.ImageService", "grpc.health.v1.Health");
        assertThat(methodsOfImageService(file.getFileDescriptorResponse().getFileDescriptorProtoList()))
                .containsExactly("ProcessImage", "ProcessImageStream");
    }

    @Test
    void logsOneReadyLineWithTheBoundPortsAndTheOpenCvVersion() {
        int grpcPort = ((ImageServiceApplication) APP.getApplication()).grpcServer().getPort();

        assertThat(ReadyLineCapturingApp.READY_LINES.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("image-service ready: HTTP port " + APP.getLocalPort() + ", admin port "
                        + APP.getAdminPort() + ", gRPC port " + grpcPort + ", OpenCV " + org.opencv.core.Core.VERSION);
    }

    /** Sends one request on a reflection stream and returns the one answer. */
    static <Q, R> R askOnce(Function<StreamObserver<R>, StreamObserver<Q>> open, Q request) throws Exception {
        CompletableFuture<R> answer = new CompletableFuture<>();
        StreamObserver<Q> requests = open.apply(new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("stream ended without an answer"));
            }
        });
        requests.onNext(request);
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } finally {
            requests.onCompleted();
        }
    }

    private static List<String> methodsOfImageService(List<com.google.protobuf.ByteString> files)
            throws InvalidProtocolBufferException {
        for (com.google.protobuf.ByteString bytes : files) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
            if (file.getPackage().equals("image")) {
                return file.getServiceList().stream().filter(s -> s.getName().equals("ImageService"))
                        .flatMap(s -> s.getMethodList().stream()).map(m -> m.getName()).toList();
            }
        }
        return List.of();
    }
}
