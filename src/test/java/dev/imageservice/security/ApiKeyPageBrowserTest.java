package dev.imageservice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.AppUnderTest;
import dev.imageservice.testing.HeadlessChromium;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The upload page against a service with API keys, in headless Chromium: it asks for the key once per tab. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiKeyPageBrowserTest {
    static final String KEY = "page-key-0123456789abcdef";
    static final Path KEYS = ApiKeyIntegrationTest.keysFile("browser:" + KEY + "\n");
    static final DropwizardAppExtension<ImageServiceConfiguration> APP = AppUnderTest.extension(
            ConfigOverride.config("security.apiKeysFile", KEYS.toString()));
    static final Path OUTPUT = Path.of("target", "browser-test");

    static WebDriver driver;

    @BeforeAll
    static void startBrowser() throws IOException {
        driver = HeadlessChromium.startOrNull(OUTPUT);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void asksForTheKeyOnceAndKeepsItForTheTab() throws IOException {
        RequiredTools.require(driver != null, HeadlessChromium.MISSING);
        driver.get("http://localhost:" + APP.getLocalPort() + "/");
        Path upload = Files.write(Files.createDirectories(OUTPUT.resolve("uploads")).resolve("keyed.png"),
                TestImages.encode(TestImages.photoLike(60, 40, 3, 8, 21), ".png"));
        assertThat(driver.findElement(By.id("api-key-form")).isDisplayed()).isFalse();

        // No key yet: the service says 401 and the page asks for one.
        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        wait(10).until(d -> d.findElement(By.id("api-key-form")).isDisplayed());
        assertThat(driver.findElement(By.id("error")).getText()).contains("API key");

        // A wrong key is refused and asked for again.
        driver.findElement(By.id("api-key-input")).sendKeys("not-the-key-0123456789");
        driver.findElement(By.id("api-key-button")).click();
        wait(10).until(d -> d.findElement(By.id("error")).getText().contains("did not accept"));
        assertThat(driver.findElement(By.id("api-key-form")).isDisplayed()).isTrue();

        // The right key: the waiting upload goes through.
        driver.findElement(By.id("api-key-input")).sendKeys(KEY);
        driver.findElement(By.id("api-key-button")).click();
        waitForResult();
        assertThat(driver.findElement(By.id("api-key-form")).isDisplayed()).isFalse();

        // Reloaded in the same tab: the key is remembered, no question asked.
        driver.navigate().refresh();
        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        waitForResult();
        assertThat(driver.findElement(By.id("api-key-form")).isDisplayed()).isFalse();
        assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('image-service-api-key')"))
                .isEqualTo(KEY);
        assertThat(((JavascriptExecutor) driver).executeScript("return localStorage.length")).isEqualTo(0L);
    }

    private static WebDriverWait wait(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    private static void waitForResult() {
        wait(30).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "const img = document.getElementById('processed-image');"
                        + "return !document.getElementById('result').hidden && img.complete && img.naturalWidth > 0;")));
    }
}
