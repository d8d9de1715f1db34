package dev.imageservice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.ConfigFiles;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** What can be checked of deploy/Dockerfile without a container engine. */
class DockerfileTest {

    @Test
    void debianBookwormWithJava17AndTheSystemLibjpegTurbo() throws Exception {
        Dockerfile docker = Dockerfile.read();
        assertThat(docker.from()).startsWith("debian:bookworm");
        assertThat(String.join(" ", docker.runs())).contains("openjdk-17-jre-headless").contains("libturbojpeg0");
    }

    @Test
    void runsAsANonRootUser() throws Exception {
        Dockerfile docker = Dockerfile.read();
        assertThat(docker.user()).isNotNull();
        assertThat(docker.uid()).isPositive();
        assertThat(String.join(" ", docker.runs())).contains("--uid " + docker.uid());
    }

    @Test
    void exposesThePortsOfConfigYml() throws Exception {
        ImageServiceConfiguration config = ConfigFiles.load(Path.of("config.yml"));
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        assertThat(Dockerfile.read().exposed()).containsExactlyInAnyOrder(
                ((HttpConnectorFactory) server.getApplicationConnectors().get(0)).getPort(),
                ((HttpConnectorFactory) server.getAdminConnectors().get(0)).getPort(),
                config.getGrpc().getPort());
    }

    @Test
    void copiesTheJarThatThePomBuildsAndStartsIt() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        String finalName = pom.getElementsByTagName("finalName").item(0).getTextContent().trim();
        Dockerfile docker = Dockerfile.read();
        String[] jar = docker.copies().stream().filter(c -> c[0].endsWith(".jar")).findFirst().orElseThrow();
        assertThat(jar[0]).isEqualTo("target/" + finalName + ".jar");
        String entrypoint = Files.readString(Path.of("deploy", "docker-entrypoint.sh"));
        assertThat(entrypoint).contains("-jar " + jar[1]);
        assertThat(docker.copies()).anySatisfy(c -> assertThat(List.of(c)).containsExactly("config.yml", "/app/config.yml"));
        assertThat(docker.entrypoint()).contains("/app/docker-entrypoint.sh");
    }

    @Test
    void theMemoryBudgetFollowsTheContainerLimitThroughConfigYml() throws Exception {
        assertThat(Files.readString(Path.of("config.yml"))).contains("memoryBudget: ${MEMORY_BUDGET:-0B}");
        assertThat(Files.readString(Path.of("deploy", "docker-entrypoint.sh")))
                .contains("export MEMORY_BUDGET").contains("/sys/fs/cgroup/memory.max");
        assertThat(Dockerfile.read().runs()).isNotEmpty();
        assertThat(String.join(" ", List.of(Files.readString(Dockerfile.PATH)))).contains("MaxRAMPercentage");
    }
}
