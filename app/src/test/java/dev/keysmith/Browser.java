package dev.keysmith;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Debian's headless Chromium driven by Selenium, with the flags that work on these machines (STACK.md). Tests
 * using it skip when Chromium or ChromeDriver is not installed ({@code .ci/run} installs them). Screenshots go
 * to {@code target/screenshots}, and also to {@code -Dkeysmith.screenshots=<dir>} when given (how the README's
 * pictures in {@code docs/screenshots} are refreshed).
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("keysmith.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("keysmith.chromedriver", "/usr/bin/chromedriver");

    private final WebDriver driver;
    private final String baseUrl;
    private final Path profile;

    private Browser(String baseUrl) throws IOException {
        this.baseUrl = baseUrl;
        this.profile = Files.createTempDirectory("keysmith-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    /** A new browser session, or the test is skipped when no browser is installed here. */
    static Browser open(int port) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                "Chromium and ChromeDriver are not installed (apt-get install -y chromium chromium-driver)");
        try {
            return new Browser("http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Browser go(String path) {
        driver.get(baseUrl + path);
        return this;
    }

    /** Signs in through the login form as {@code email} (with {@link TestData#PASSWORD}). */
    Browser signIn(String email) {
        return go("/login").type("#email", email).type("#password", TestData.PASSWORD).click("#login-submit");
    }

    /** Sets an input's value as a picker would (a datetime-local field takes typed keys by locale). */
    Browser setValue(String css, String value) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];",
                find(css), value);
        return this;
    }

    String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    boolean has(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    String text(String css) {
        return find(css).getText();
    }

    String page() {
        return driver.findElement(By.tagName("body")).getText();
    }

    Browser type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
        return this;
    }

    Browser select(String css, String visibleText) {
        new org.openqa.selenium.support.ui.Select(find(css)).selectByVisibleText(visibleText);
        return this;
    }

    /**
     * Scrolls an element to the middle of the window. Headless Chromium's viewport is shorter than the window size
     * (757 of 900 pixels here) and ChromeDriver does not always scroll for it, so a click near the bottom of a
     * long page is otherwise "intercepted". Instant, because Bootstrap makes scrolling smooth (animated).
     */
    WebElement reveal(WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});", element);
        return element;
    }

    /** Clicks without waiting for a new page (a button that runs a script). */
    Browser press(WebElement element) {
        reveal(element).click();
        return this;
    }

    /** Clicks and waits for the next page to replace this one. */
    Browser click(String css) {
        return click(find(css));
    }

    /** Clicks and waits for the next page to replace this one. */
    Browser click(WebElement element) {
        WebElement html = driver.findElement(By.tagName("html"));
        reveal(element).click();
        waitForNewPage(html);
        return this;
    }

    /** Clicks a button whose form asks for confirmation, and accepts the dialog. */
    Browser clickAndConfirm(WebElement button) {
        WebElement html = driver.findElement(By.tagName("html"));
        reveal(button).click();
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
        waitForNewPage(html);
        return this;
    }

    /**
     * Waits until the page that {@code html} belongs to is replaced. Mid-navigation ChromeDriver sometimes answers
     * "Node with given id does not belong to the document" instead of "stale element": that means replaced too.
     */
    private void waitForNewPage(WebElement html) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> {
            try {
                html.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        });
    }

    WebDriver driver() {
        return driver;
    }

    Path screenshot(String name) {
        try {
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Path file = Path.of("target/screenshots", name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, png);
            String published = System.getProperty("keysmith.screenshots");
            if (published != null && !published.isBlank()) {
                Path target = Path.of(published, name + ".png");
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
