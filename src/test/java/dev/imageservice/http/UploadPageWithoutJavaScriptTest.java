package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.HeadlessChromium;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The upload page in Chromium with JavaScript switched off: the form's own fields (operations,
 * format, quality) reach the API, and the browser shows the answer. Skipped without Chromium.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UploadPageWithoutJavaScriptTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension();

    @Test
    void theFormAloneResizesAndConvertsTheImage() throws Exception {
        RequiredTools.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), HeadlessChromium.MISSING);
        Path upload = Files.createTempFile("no-script", ".png");
        Files.write(upload, TestImages.encode(TestImages.photoLike(300, 200, 3, 8, 19), ".png"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run");
        options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            driver.get("http://localhost:" + APP.getLocalPort() + "/");
            driver.findElement(By.id("image-input")).sendKeys(upload.toString());
            new Select(driver.findElement(By.id("op-resize"))).selectByValue("resize:200:200:cover");
            new Select(driver.findElement(By.id("format"))).selectByValue("jpeg");
            driver.findElement(By.id("submit-button")).click();

            // Chromium titles an image document "NAME (WIDTH×HEIGHT)".
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.getTitle().contains("×"));
            assertThat(driver.getCurrentUrl()).endsWith("/api/v1/process");
            assertThat(driver.getTitle()).contains("200×200");
            assertThat(driver.findElement(By.tagName("img")).getDomProperty("naturalWidth")).isEqualTo("200");
        } finally {
            driver.quit();
            Files.deleteIfExists(upload);
        }
    }
}
