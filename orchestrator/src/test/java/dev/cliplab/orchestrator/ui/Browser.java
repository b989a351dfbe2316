package dev.cliplab.orchestrator.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless system Chromium on the dashboard at one address, with explicit waits and screenshots
 * saved under {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {

  /** The two widths every page is checked at: a laptop and a phone. */
  static final List<Dimension> WIDTHS = List.of(new Dimension(1280, 800), new Dimension(390, 844));

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

  private final ChromeDriver driver;
  private final WebDriverWait wait;
  private final String base;

  /**
   * Starts Chromium; the binaries default to Debian's packages' paths, overridable with the system
   * properties {@code cliplab.chromium} and {@code cliplab.chromedriver}.
   *
   * @param base the dashboard's address, e.g. {@code http://127.0.0.1:8080}
   */
  Browser(String base) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("cliplab.chromium", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new File(System.getProperty("cliplab.chromedriver", "/usr/bin/chromedriver")))
            .build();
    this.driver = new ChromeDriver(service, options);
    this.wait = new WebDriverWait(driver, WAIT);
    this.base = base;
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens a page of the dashboard by its hash route, e.g. {@code #/sweeps}. */
  void open(String hash) {
    driver.get(base + "/" + hash);
  }

  void size(Dimension size) {
    driver.manage().window().setSize(size);
  }

  /** Waits until an element matching the selector is visible, and returns it. */
  WebElement visible(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /** Waits until the element's text contains the fragment, and returns the whole text. */
  String textContains(String css, String fragment) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), fragment));
    return driver.findElement(By.cssSelector(css)).getText();
  }

  /** Waits up to the given time until a script returns true, e.g. until a chart has points. */
  void until(Duration timeout, String js, Object... args) {
    new WebDriverWait(driver, timeout).until(d -> Boolean.TRUE.equals(script(js, args)));
  }

  /** Waits until exactly n elements match the selector, and returns them. */
  List<WebElement> count(String css, int n) {
    return wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(css), n));
  }

  /** Waits until the current address contains the fragment. */
  void urlContains(String fragment) {
    wait.until(ExpectedConditions.urlContains(fragment));
  }

  /** Waits until the current address matches the regular expression. */
  void urlMatches(String regex) {
    wait.until(ExpectedConditions.urlMatches(regex));
  }

  /**
   * Presses Tab (Shift+Tab when backwards) until the focused element matches the selector, as a
   * keyboard user moves through the page; fails after 200 presses.
   */
  void tabTo(String css, boolean backwards) {
    for (int presses = 0; presses < 200; presses++) {
      if (Boolean.TRUE.equals(
          script("return document.activeElement.matches(arguments[0]);", css))) {
        return;
      }
      driver
          .switchTo()
          .activeElement()
          .sendKeys(backwards ? Keys.chord(Keys.SHIFT, Keys.TAB) : Keys.TAB);
    }
    throw new AssertionError("the keyboard focus never reached " + css);
  }

  /** Types keys into the focused element. */
  void type(CharSequence... keys) {
    driver.switchTo().activeElement().sendKeys(keys);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** How far the page is wider than the viewport, in CSS pixels (0: no sideways scrolling). */
  long overflow() {
    return (Long)
        script("return Math.max(0, document.documentElement.scrollWidth - window.innerWidth);");
  }

  /**
   * Saves a screenshot of the whole page, not just the viewport, as target/screenshots/name.png.
   */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path target = SCREENSHOTS.resolve(name + ".png");
    long width = (Long) script("return window.innerWidth;");
    long height = (Long) script("return document.documentElement.scrollHeight;");
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
    return target;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
