package dev.bigsegments.standalone;

import static dev.bigsegments.standalone.PipelineTestResource.TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser (Debian's chromium, driven by its chromedriver) against the running pipeline:
 * the token is entered once, a CSV replace import is uploaded through the page's form, its progress bar reaches
 * 100%, its counts match the file, the segment's row shows the members, and the store holds them. A screenshot is
 * kept as {@code target/status-page.png}. Without chromium the test fails: {@code .ci/run} installs it.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineTestResource.class, restrictToAnnotatedClass = false)
class StatusPageBrowserTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final int KEYS = 20_000;
    private static final int REPEATED = 50;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TestHTTPResource("/")
    URL page;

    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void openBrowser() throws Exception {
        assertThat(new File(CHROMIUM)).as("chromium is installed (apt-get install -y chromium chromium-driver)")
                .canRead();
        assertThat(new File(CHROMEDRIVER)).as("chromedriver is installed (apt-get install -y chromium-driver)")
                .canRead();
        profile = Files.createTempDirectory("status-page-browser");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1600", "--user-data-dir=" + profile);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build(), options);
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    void anImportUploadedThroughThePageReachesOneHundredPercentAndTheSegmentShowsItsMembers() throws Exception {
        String segment = "page-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", TOKEN).contentType("application/json")
                .body("{\"key\":\"" + segment + "\",\"name\":\"Page users\",\"unbounded\":true}")
                .post("/api/v2/segments/proj/test").then().statusCode(201);
        Path csv = Files.createTempFile("page-upload", ".csv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < KEYS + REPEATED; i++) {
            rows.append("page-user-").append(i % KEYS).append('\n');
        }
        Files.writeString(csv, rows);

        browser.get(page.toString());
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("token-save")).click();
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
        // The page redraws its tables as the status refreshes: an element found just before a redraw is gone when
        // read, and the condition is asked again.
        wait.ignoring(StaleElementReferenceException.class);
        By row = By.cssSelector("section[data-environment='e2e'] tr[data-segment='" + segment + "']");
        wait.until(d -> !d.findElements(row).isEmpty());

        new Select(browser.findElement(By.id("upload-environment"))).selectByValue("e2e");
        wait.until(d -> new Select(d.findElement(By.id("upload-segment"))).getOptions().stream()
                .anyMatch(o -> segment.equals(o.getAttribute("value"))));
        new Select(browser.findElement(By.id("upload-segment"))).selectByValue(segment);
        new Select(browser.findElement(By.id("upload-mode"))).selectByValue("replace");
        browser.findElement(By.id("upload-file")).sendKeys(csv.toString());
        browser.findElement(By.id("upload-submit")).click();

        wait.until(d -> d.findElement(By.id("upload-status")).getText().startsWith("complete"));
        WebElement progress = browser.findElement(By.id("upload-progress"));
        assertThat(progress.getDomProperty("value")).isEqualTo("1");
        assertThat(browser.findElement(By.id("upload-status")).getText()).isEqualTo("complete 100%");
        assertThat(browser.findElement(By.id("upload-counts")).getText()).isEqualTo("rows 20,050, keys 20,000,"
                + " duplicates 50, rejected 0, added 20,000, removed 0");
        wait.until(d -> "20,000".equals(d.findElement(row).findElement(By.className("included")).getText())
                && d.findElement(row).getText().contains("in store"));
        assertThat(browser.findElement(row).findElement(By.className("excluded")).getText()).isEqualTo("0");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        Files.write(Path.of("target", "status-page.png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
