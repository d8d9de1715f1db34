package dev.imageservice.ops.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.PrometheusText;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in Debian's headless Chromium while load runs: its numbers move (requests per
 * second above zero, latency percentiles shown, then back to zero after the load), and its count of
 * requests matches the service's own metrics in /prometheus. Skipped where Chromium is not installed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StatusPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path OUTPUT = Path.of("target", "browser-test");

    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    private static WebDriver driver;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        Files.createDirectories(OUTPUT);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(OUTPUT.resolve("chromedriver-status.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void theNumbersMoveUnderLoadAndMatchTheMetrics() throws Exception {
        RequiredTools.require(driver != null, "needs " + CHROMIUM + " and " + CHROMEDRIVER
                + "; `apt-get install -y chromium chromium-driver` enables it");
        driver.manage().window().setSize(new Dimension(1100, 1200));
        // Reached from the upload page's link, as a person would.
        driver.get(base() + "/");
        driver.findElement(By.linkText("Service status")).click();
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(d -> d.findElement(By.id("status-state")).getText().startsWith("Updated"));
        assertThat(text("rps")).isEqualTo("0.00");
        assertThat(text("total")).isEqualTo("0");

        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(2);
        List<Future<?>> clients = new ArrayList<>();
        byte[] image = TestImages.encode(TestImages.photoLike(320, 240, 3, 8, 21), ".jpg");
        byte[] garbage = "not an image at all".getBytes();
        for (int i = 0; i < 2; i++) {
            clients.add(load.submit(() -> {
                while (loading.get()) {
                    // One refused upload in ten, so that errors by kind move too.
                    post(sent.incrementAndGet() % 10 == 0 ? garbage : image);
                }
                return null;
            }));
        }
        try {
            wait.until(d -> Double.parseDouble(text("rps")) > 0 && text("p99").endsWith("s")
                    && !text("errors-by-kind").equals("none"));
            assertThat(text("p50")).matches("[0-9.]+ m?s");
            assertThat(text("errors-by-kind")).contains("INVALID_IMAGE");
            assertThat(text("in-flight")).matches("\\d+ of \\d+");
            screenshot("status-under-load.png");
        } finally {
            loading.set(false);
            for (Future<?> client : clients) {
                client.get();
            }
            load.shutdown();
        }

        // After the load: the page's count is the metrics' count, and the rate falls back to zero.
        double count = PrometheusText.parse(admin("/prometheus")).value("image_processing_duration_seconds_count");
        assertThat(count).isEqualTo(sent.get());
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> text("total").equals(String.valueOf(sent.get()))
                && text("rps").equals("0.00"));
        assertThat(text("errors")).isEqualTo("0.00");
        screenshot("status-after-load.png");
    }

    private void post(byte[] body) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/process"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                BodyHandlers.discarding());
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static void screenshot(String name) throws IOException {
        Files.write(OUTPUT.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private String admin(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + path)).build(),
                BodyHandlers.ofString()).body();
    }

    private static String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }
}
