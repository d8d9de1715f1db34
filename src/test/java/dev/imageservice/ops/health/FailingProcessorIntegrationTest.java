package dev.imageservice.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.processing.ImageProcessor;
import dev.imageservice.processing.Limits;
import dev.imageservice.testing.GrpcTestChannels;
import dev.imageservice.testing.AppUnderTest;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service with a processor that runs but gives wrong pixels: both health views must say so. */
@ExtendWith(DropwizardExtensionsSupport.class)
class FailingProcessorIntegrationTest {

    public static class AppWithBrokenProcessor extends ImageServiceApplication {
        @Override
        protected ImageProcessor createProcessor(Limits limits, dev.imageservice.processing.AdmissionController admission,
                java.util.concurrent.Executor workers) {
            return ProcessorHealthCheckTest.pipelineThatDoesNotSwap();
        }
    }

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            AppWithBrokenProcessor.class, AppUnderTest.shippedConfig(), AppUnderTest.withRandomPorts());

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
    void healthcheckIsUnhealthyAndNamesTheWrongPixel() throws Exception {
        Response response = APP.client().target("http://localhost:" + APP.getAdminPort() + "/healthcheck").request().get();
        String body = response.readEntity(String.class);

        assertThat(response.getStatus()).as(body).isEqualTo(500);
        JsonNode checks = APP.getObjectMapper().readTree(body);
        assertThat(checks.path("processor").path("healthy").asBoolean()).isFalse();
        assertThat(checks.path("processor").path("message").asText())
                .isEqualTo("wrong pixel at (0,0) of the probe: expected #0000ff, got #ff0000");
        assertThat(checks.path("grpc-server").path("healthy").asBoolean()).isTrue();
    }

    @Test
    void grpcHealthIsNotServingForTheServerAndTheImageService() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
                .isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("image.ImageService").build()).getStatus())
                .isEqualTo(ServingStatus.NOT_SERVING);
    }
}
