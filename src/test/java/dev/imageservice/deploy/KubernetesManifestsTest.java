package dev.imageservice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.grpc.proto.ImageServiceGrpc;
import dev.imageservice.ops.metrics.MetricNames;
import dev.imageservice.testing.AppUnderTest;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import dev.imageservice.testing.GrpcTestChannels;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/kubernetes rendered as a cluster gets it ({@code kubectl kustomize}, or the listed files
 * where kubectl is missing) and parsed into the Kubernetes API's model (fabric8): every port, path
 * and probe points at what config.yml configures and the running application really serves.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class KubernetesManifestsTest {
    private static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private static ImageServiceConfiguration shipped;
    private static List<JsonNode> base;
    private static Deployment deployment;
    private static Container container;
    private static Map<String, Integer> containerPorts;

    @BeforeAll
    static void render() throws Exception {
        // Not ConfigFiles: the app extension's overrides (dw.* system properties, ports 0) would apply.
        shipped = new YamlConfigurationFactory<>(ImageServiceConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "manifests-test").build(new SubstitutingSourceProvider(
                        new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)), "config.yml");
        base = Manifests.render(Manifests.ROOT);
        deployment = Manifests.as(Manifests.only(base, "Deployment"), Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).hasSize(1);
        container = pod.getContainers().get(0);
        containerPorts = container.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    }

    @Test
    void rendersTheBaseAndTheKedaOverlay() throws Exception {
        assertThat(base.stream().map(o -> o.path("kind").asText())).containsExactlyInAnyOrder(
                "Deployment", "Service", "Service", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                "ServiceMonitor");
        List<JsonNode> keda = Manifests.render(Manifests.ROOT.resolve("keda"));
        assertThat(keda.stream().map(o -> o.path("kind").asText()))
                .contains("Deployment", "ScaledObject").doesNotContain("HorizontalPodAutoscaler");
        // Without kubectl the listed files give the same objects.
        assertThat(Manifests.parseAll(Manifests.readListedFiles(Manifests.ROOT)).stream()
                .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).sorted().toList())
                .isEqualTo(base.stream().map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                        .sorted().toList());
    }

    @Test
    void containerPortsAreTheConfiguredOnes() {
        DefaultServerFactory server = (DefaultServerFactory) shipped.getServerFactory();
        assertThat(containerPorts).containsOnly(
                Map.entry("http", ((HttpConnectorFactory) server.getApplicationConnectors().get(0)).getPort()),
                Map.entry("admin", ((HttpConnectorFactory) server.getAdminConnectors().get(0)).getPort()),
                Map.entry("grpc", shipped.getGrpc().getPort()));
    }

    @Test
    void readinessAndStartupAskTheGrpcHealthOfTheImageServiceThatTheAppServes() throws Exception {
        for (Probe probe : List.of(container.getReadinessProbe(), container.getStartupProbe())) {
            assertThat(probe.getGrpc().getPort()).isEqualTo(containerPorts.get("grpc"));
            assertThat(probe.getGrpc().getService()).isEqualTo(ImageServiceGrpc.SERVICE_NAME);
        }
        ManagedChannel channel = GrpcTestChannels.localhost(((ImageServiceApplication) APP.getApplication()).grpcServer().getPort());
        try {
            assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(container.getReadinessProbe().getGrpc().getService()).build())
                    .getStatus()).isEqualTo(ServingStatus.SERVING);
        } finally {
            GrpcTestChannels.close(channel);
        }
    }

    @Test
    void livenessIsTheAdminPingThatTheAppServes() throws Exception {
        Probe liveness = container.getLivenessProbe();
        assertThat(port(liveness.getHttpGet().getPort())).isEqualTo(containerPorts.get("admin"));
        HttpResponse<String> ping = get(APP.getAdminPort(), liveness.getHttpGet().getPath());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body().trim()).isEqualTo("pong");
    }

    @Test
    void drainDelayAndGracePeriodsFitInTheTerminationGracePeriod() {
        String drain = container.getEnv().stream().filter(e -> e.getName().equals("SHUTDOWN_DRAIN_DELAY"))
                .map(EnvVar::getValue).findFirst().orElseThrow();
        assertThat(Files.exists(Path.of("config.yml"))).isTrue();
        long drainSeconds = io.dropwizard.util.Duration.parse(drain).toSeconds();
        Probe readiness = container.getReadinessProbe();
        // Readiness notices within one period; the drain must outlast it.
        assertThat(drainSeconds).isGreaterThanOrEqualTo((long) readiness.getPeriodSeconds() * readiness.getFailureThreshold());
        DefaultServerFactory server = (DefaultServerFactory) shipped.getServerFactory();
        long grace = Math.max(server.getShutdownGracePeriod().toSeconds(), shipped.getGrpc().getShutdownGracePeriod().toSeconds());
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(drainSeconds + grace + 5);
        assertThat(Manifests.only(base, "Deployment").toString()).doesNotContain("preStop");
    }

    @Test
    void runsAsNonRootOnAReadOnlyRootWithAWritableTmp() throws Exception {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Dockerfile.read().uid());
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getTopologySpreadConstraints()).isNotEmpty().allSatisfy(c ->
                assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(c.getLabelSelector().getMatchLabels()));
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
    }

    @Test
    void servicesSelectThePodsAndTargetItsNamedPorts() throws Exception {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, Service> services = base.stream().filter(o -> o.path("kind").asText().equals("Service"))
                .map(o -> as(o, Service.class)).collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        assertThat(services).containsOnlyKeys("image-service-grpc", "image-service-http", "image-service-admin");
        for (Service service : services.values()) {
            assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(containerPorts).containsEntry(port.getTargetPort().getStrVal(), port.getPort());
            }
        }
        // gRPC: headless, so that DNS lists every pod for round_robin clients.
        assertThat(services.get("image-service-grpc").getSpec().getClusterIP()).isEqualTo("None");
        assertThat(services.get("image-service-grpc").getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("grpc");
        assertThat(services.get("image-service-http").getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(services.get("image-service-http").getSpec().getClusterIP()).isNull();

        PodDisruptionBudget pdb = Manifests.as(Manifests.only(base, "PodDisruptionBudget"), PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        HorizontalPodAutoscaler hpa = Manifests.as(Manifests.only(base, "HorizontalPodAutoscaler"), HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(deployment.getSpec().getReplicas());
    }

    @Test
    void prometheusScrapesTheAdminPathThatServesTheLoadSignal() throws Exception {
        JsonNode monitor = Manifests.only(base, "ServiceMonitor");
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        Service admin = as(base.stream().filter(o -> o.path("metadata").path("name").asText().equals("image-service-admin"))
                .findFirst().orElseThrow(), Service.class);
        Map<String, String> wanted = Manifests.as(monitor.path("spec").path("selector").path("matchLabels"), Map.class);
        assertThat(admin.getMetadata().getLabels()).containsAllEntriesOf(wanted);
        assertThat(admin.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo(endpoint.path("port").asText()));

        HttpResponse<String> scraped = get(APP.getAdminPort(), endpoint.path("path").asText());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("\nimage_admission_load ");
        assertThat(MetricNames.ADMISSION_LOAD).isEqualTo("image.admission.load");

        JsonNode scaled = Manifests.only(Manifests.render(Manifests.ROOT.resolve("keda")), "ScaledObject");
        assertThat(scaled.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo(deployment.getMetadata().getName());
        assertThat(scaled.path("spec").path("triggers").get(0).path("metadata").path("query").asText())
                .contains("image_admission_load").contains("service=\"" + admin.getMetadata().getName() + "\"");
        List<JsonNode> adapter = Manifests.parseAll(Files.readString(Manifests.ROOT.resolve("examples/prometheus-adapter.yaml")));
        HorizontalPodAutoscaler byLoad = Manifests.as(Manifests.only(adapter, "HorizontalPodAutoscaler"), HorizontalPodAutoscaler.class);
        assertThat(byLoad.getSpec().getMetrics().get(0).getPods().getMetric().getName()).isEqualTo("image_admission_load");
        assertThat(Manifests.only(adapter, "ConfigMap").path("data").path("rules.yaml").asText()).contains("image_admission_load");
    }

    private static <T> T as(JsonNode node, Class<T> type) {
        try {
            return Manifests.as(node, type);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int port(IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : containerPorts.get(port.getStrVal());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(java.time.Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
    }
}
