package dev.imageservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageservice.ImageServiceApplication;
import dev.imageservice.ImageServiceConfiguration;
import dev.imageservice.testing.ExifImages;
import dev.imageservice.testing.LargeImages;
import dev.imageservice.testing.RequiredTools;
import dev.imageservice.testing.TestImages;
import dev.imageservice.testing.TestImages.Pixels;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The upload page in a real browser: Debian's headless Chromium, driven through chromedriver, opens
 * the page served by the running application, uploads through the file input, and reads back the
 * pixels of the image it shows. Skipped (not failed) where Chromium is not installed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UploadPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path OUTPUT = Path.of("target", "browser-test");

    private static final DropwizardAppExtension<ImageServiceConfiguration> APP = new DropwizardAppExtension<>(
            ImageServiceApplication.class, "config.yml",
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("grpc.port", "0"));

    private static WebDriver driver;

    private static final String MISSING_BROWSER = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
            + "; `apt-get install -y chromium chromium-driver` enables it";

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!browserInstalled()) {
            // Each test is then skipped by the assumption in openPage(), so the reports say why.
            return;
        }
        Files.createDirectories(OUTPUT);
        // An explicit driver and binary: Selenium Manager would try to download them, and cannot here.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(OUTPUT.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run",
                // Pixels read back from a canvas are compared exactly: no colour management.
                "--force-color-profile=srgb");
        driver = new ChromeDriver(service, options);
    }

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @BeforeEach
    void openPage() {
        RequiredTools.require(driver != null, MISSING_BROWSER);
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get("http://localhost:" + APP.getLocalPort() + "/");
    }

    @Test
    void uploadShowsTheChannelSwappedImageWithItsDetails() throws IOException {
        Pixels original = TestImages.photoLike(480, 320, 3, 8, 11);
        Path upload = write("harbour.png", TestImages.encode(original, ".png"));

        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        waitForResult();

        Pixels expected = original.swapped();
        assertShownPixelsAre(expected);
        assertThat(text("original-name")).isEqualTo("harbour.png");
        assertThat(text("original-format")).isEqualTo("PNG");
        assertThat(text("original-dimensions")).isEqualTo("480 × 320 px");
        assertThat(text("processed-dimensions")).isEqualTo("480 × 320 px");
        assertThat(text("processing-time")).matches("\\d+\\.\\d ms");
        assertThat(text("original-size")).matches("\\d+(\\.\\d)? KiB");
        assertThat(text("status-text")).startsWith("Done: processed in");

        // The download link offers the same PNG under the upload's name.
        WebElement download = driver.findElement(By.id("download-link"));
        assertThat(download.getDomAttribute("download")).isEqualTo("harbour.png");
        byte[] downloaded = Base64.getDecoder().decode((String) js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(document.getElementById('download-link').href)"
                        + ".then(r => r.arrayBuffer())"
                        + ".then(b => { let s = ''; const a = new Uint8Array(b);"
                        + "  for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);"
                        + "  done(btoa(s)); });"));
        assertThat(TestImages.decode(downloaded)).usingRecursiveComparison().isEqualTo(expected);

        driver.manage().window().setSize(new Dimension(1280, 1200));
        screenshot("upload-result.png");
        driver.manage().window().setSize(new Dimension(390, 1400));
        screenshot("upload-result-phone.png");
    }

    @Test
    void largeUploadShowsItsProgress() throws IOException {
        Pixels original = TestImages.photoLike(1200, 900, 3, 8, 12);
        byte[] png = TestImages.encode(original, ".png");
        Path upload = write("large.png", png);
        // About two seconds of upload, so that the page has time to show how far it is.
        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
        slow.setUploadThroughput(png.length / 2);
        slow.setDownloadThroughput(50_000_000);
        slow.setLatency(Duration.ofMillis(5));
        ChromeDriver chrome = (ChromeDriver) driver;
        chrome.setNetworkConditions(slow);
        try {
            driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
            new WebDriverWait(driver, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(50))
                    .until(d -> Boolean.TRUE.equals(js().executeScript(
                            "const p = document.getElementById('progress');"
                                    + "return !p.hidden && p.hasAttribute('value') && p.value > 0 && p.value < 100;")));
            assertThat(text("status-text")).matches("Uploading… \\d+ % of \\d+(\\.\\d)? MiB");
            screenshot("upload-progress.png");
            waitForResult();
        } finally {
            chrome.deleteNetworkConditions();
        }
        assertShownPixelsAre(original.swapped());
    }

    @Test
    void twelveMegapixelPhotoIsProcessedAndShown() throws IOException {
        byte[] jpeg = LargeImages.photo(4000, 3000, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
        byte[] source = LargeImages.decodeSamples(jpeg); // B, G, R
        Path upload = write("phone-photo.jpg", jpeg);

        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        waitForResult();

        assertThat(text("processed-dimensions")).isEqualTo("4000 × 3000 px");
        // 48 MB of RGBA is too much to carry back whole: compare pixels across the picture.
        for (int[] at : new int[][] {{0, 0}, {3999, 0}, {1234, 1500}, {2000, 2999}, {3999, 2999}}) {
            @SuppressWarnings("unchecked")
            java.util.List<Number> rgba = (java.util.List<Number>) js().executeScript(
                    "const img = document.getElementById('processed-image');"
                            + "const c = document.createElement('canvas'); c.width = 1; c.height = 1;"
                            + "const ctx = c.getContext('2d', { colorSpace: 'srgb' });"
                            + "ctx.drawImage(img, arguments[0], arguments[1], 1, 1, 0, 0, 1, 1);"
                            + "return Array.from(ctx.getImageData(0, 0, 1, 1).data);", at[0], at[1]);
            int i = (at[1] * 4000 + at[0]) * 3;
            // The processed image's R, G, B are the source's B, G, R (as OpenCV stores them): swapped.
            assertThat(rgba.subList(0, 3).stream().map(Number::intValue).toList()).as("pixel %d,%d", at[0], at[1])
                    .containsExactly(source[i] & 0xFF, source[i + 1] & 0xFF, source[i + 2] & 0xFF);
        }
        screenshot("upload-12mp.png");
    }

    @Test
    void fileInputIsLabelledAndTheFirstStopForTheKeyboard() {
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);

        WebElement focused = driver.switchTo().activeElement();
        assertThat(focused.getDomAttribute("id")).isEqualTo("image-input");
        assertThat(driver.findElement(By.cssSelector("label[for='image-input']")).getText())
                .contains("Choose an image");
    }

    @Test
    void uploadingANonImageShowsAReadableError() throws IOException {
        Path upload = write("notes.txt", "shopping list: eggs, milk".getBytes(StandardCharsets.UTF_8));

        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        WebElement error = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));

        assertThat(error.getText())
                .startsWith("This file could not be read as an image.")
                .contains("Could not decode the image")
                .containsPattern("Request id: [0-9a-f]{16}\\.")
                .doesNotContain("{", "\"code\"");
        assertThat(driver.findElement(By.id("result")).isDisplayed()).isFalse();
        screenshot("upload-error.png");
    }

    @Test
    void unsupportedFormatIsExplained() throws IOException {
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, (byte) 0x80, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, ',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 'D', 1, 0, ';'};
        Path upload = write("animation.gif", gif);

        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        WebElement error = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));

        assertThat(error.getText()).startsWith("This image format is not supported.").contains("GIF");
    }

    @Test
    void portraitPhonePhotoShowsTheSameOrientationBeforeAndAfter() throws IOException {
        // A phone's portrait photo: stored landscape (360x240) with EXIF orientation 6 (rotate 90).
        Pixels stored = TestImages.photoLike(360, 240, 3, 8, 16);
        byte[] jpeg = ExifImages.jpegWithOrientation(
                TestImages.encode(stored, ".jpg", org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, 95), 6);
        Path upload = write("portrait.jpg", jpeg);
        WebElement orient = driver.findElement(By.id("op-orient"));
        assertThat(orient.isSelected()).as("EXIF orientation is applied by default").isTrue();
        assertThat(driver.findElement(By.cssSelector("label:has(#op-orient)")).getText()).contains("EXIF orientation");
        driver.findElement(By.id("op-swap")).click(); // compare colours as they are

        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        waitForResult();

        assertThat(text("original-dimensions")).isEqualTo("240 × 360 px");
        assertThat(text("processed-dimensions")).isEqualTo("240 × 360 px");
        assertThat(meanDifferenceOfTheTwoImages()).as("original and result as the browser shows them").isLessThan(3);
        screenshot("upload-portrait.png");

        // The visible choice: without it the result is the stored landscape, unlike the original.
        orient.click();
        driver.findElement(By.id("submit-button")).click();
        waitForResult();
        assertThat(text("processed-dimensions")).isEqualTo("360 × 240 px");
    }

    @Test
    void optionsChooseTheOperationsAndFormatAndShowTheRequestAsCommands() throws IOException {
        Path upload = write("beach.png", TestImages.encode(TestImages.photoLike(500, 300, 3, 8, 17), ".png"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("op-resize")))
                .selectByValue("resize:200:200:cover");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("format"))).selectByValue("webp");
        driver.findElement(By.id("quality")).sendKeys("60");
        driver.findElement(By.id("op-extra")).sendKeys("rotate:90 flip:h");

        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        waitForResult();

        assertThat(text("processed-dimensions")).isEqualTo("200 × 200 px");
        assertThat(text("processed-name")).isEqualTo("beach.webp");
        assertThat(js().executeScript("return document.getElementById('processed-image').naturalWidth")).isEqualTo(200L);
        assertThat(driver.findElement(By.id("download-link")).getDomAttribute("download")).isEqualTo("beach.webp");
        assertThat(text("curl-command")).isEqualTo("curl -sS -F image=@beach.png -F op=orient -F op=rotate:90 -F op=flip:h"
                + " -F op=resize:200:200:cover -F op=swap -F format=webp -F quality=60 http://localhost:"
                + APP.getLocalPort() + "/api/v1/process -o beach-processed.webp");
        assertThat(text("grpcurl-command"))
                .contains("\"operations\": [{\"auto_orient\": {}}, {\"rotate\": {\"degrees\": 90}}, "
                        + "{\"flip\": {\"horizontal\": true, \"vertical\": false}}, "
                        + "{\"resize\": {\"width\": 200, \"height\": 200, \"fit\": \"COVER\"}}, {\"swap_channels\": {}}]")
                .contains("\"format\": \"WEBP\", \"quality\": 60");
        screenshot("upload-options.png");
    }

    @Test
    void badOptionsAreExplained() throws IOException {
        Path upload = write("small.png", TestImages.encode(TestImages.photoLike(50, 40, 3, 8, 18), ".png"));
        driver.findElement(By.id("op-extra")).sendKeys("crop:0:0:100:100");

        driver.findElement(By.id("image-input")).sendKeys(upload.toAbsolutePath().toString());
        WebElement error = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));

        assertThat(error.getText()).startsWith("These options cannot be applied to this image.")
                .contains("is outside the 50x40 image");
    }

    @Test
    void optionsAreReachableByKeyboardInOrder() {
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB); // the file input
        java.util.List<String> order = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            new org.openqa.selenium.interactions.Actions(driver).sendKeys(Keys.TAB).perform();
            order.add(driver.switchTo().activeElement().getDomAttribute("id"));
        }
        assertThat(order).containsExactly("op-orient", "op-extra", "op-rotate", "op-flip", "op-resize", "op-gray",
                "op-swap", "format", "quality", "submit-button");
    }

    /** Mean absolute difference of the original and processed images as the page shows them (same size). */
    private double meanDifferenceOfTheTwoImages() {
        Number difference = (Number) js().executeScript(
                "function pixels(img) { const c = document.createElement('canvas');"
                        + "  c.width = img.naturalWidth; c.height = img.naturalHeight;"
                        + "  const ctx = c.getContext('2d', { colorSpace: 'srgb' }); ctx.drawImage(img, 0, 0);"
                        + "  return ctx.getImageData(0, 0, c.width, c.height).data; }"
                        + "const a = pixels(document.getElementById('original-image'));"
                        + "const b = pixels(document.getElementById('processed-image'));"
                        + "if (a.length !== b.length) return 255;"
                        + "let sum = 0; for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);"
                        + "return sum / a.length;");
        return difference.doubleValue();
    }

    private void waitForResult() {
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> Boolean.TRUE.equals(js().executeScript(
                "const img = document.getElementById('processed-image');"
                        + "return !document.getElementById('result').hidden && img.complete && img.naturalWidth > 0;")));
    }

    /** Draws the image the page shows onto a canvas and compares every pixel with the expected swap. */
    private void assertShownPixelsAre(Pixels expected) {
        String rgba = (String) js().executeScript(
                "const img = document.getElementById('processed-image');"
                        + "const c = document.createElement('canvas');"
                        + "c.width = img.naturalWidth; c.height = img.naturalHeight;"
                        + "const ctx = c.getContext('2d', { colorSpace: 'srgb' });"
                        + "ctx.drawImage(img, 0, 0);"
                        + "const d = ctx.getImageData(0, 0, c.width, c.height).data;"
                        + "let s = ''; for (let i = 0; i < d.length; i++) s += String.fromCharCode(d[i]);"
                        + "return c.width + 'x' + c.height + ':' + btoa(s);");
        String[] sizeAndData = rgba.split(":", 2);
        assertThat(sizeAndData[0]).isEqualTo(expected.width() + "x" + expected.height());
        byte[] shown = Base64.getDecoder().decode(sizeAndData[1]);
        int mismatches = 0;
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                int i = (y * expected.width() + x) * 4;
                // Expected pixels are in OpenCV's order (B, G, R); the canvas gives R, G, B, A.
                if ((shown[i] & 0xFF) != expected.at(x, y, 2) || (shown[i + 1] & 0xFF) != expected.at(x, y, 1)
                        || (shown[i + 2] & 0xFF) != expected.at(x, y, 0) || (shown[i + 3] & 0xFF) != 255) {
                    mismatches++;
                }
            }
        }
        assertThat(mismatches).as("pixels shown that differ from the channel swap").isZero();
    }

    private static Path write(String name, byte[] content) throws IOException {
        Path file = OUTPUT.resolve("uploads").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), OUTPUT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
