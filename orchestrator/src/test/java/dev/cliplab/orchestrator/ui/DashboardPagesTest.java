package dev.cliplab.orchestrator.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** The dashboard's pages that need no training, on a platform without workers. */
class DashboardPagesTest {

  private static final String XSS = "<img src=x onerror=alert(1)>";

  private static Dashboard dashboard;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    dashboard = Dashboard.start("--devices", "none");
    browser = dashboard.browser();
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
  }

  private static long submit(String name, JsonObject parameters) throws Exception {
    return dashboard.submit(new JsonObject().put("name", name).put("parameters", parameters));
  }

  /** Opens the new-sweep form and types a name and batch sizes into its fields. */
  private static WebElement fillNewSweep(String name, String batchSizes) {
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/sweeps/new");
    browser.visible("#field-name").sendKeys(name);
    WebElement batch = browser.visible("#field-batch_size");
    batch.clear();
    batch.sendKeys(batchSizes);
    return batch;
  }

  @Test
  @DisplayName(
      "the sweeps page lists a submitted sweep and shows a sweep named like markup as text")
  void listsSweepsAndEscapesNames() throws Exception {
    long plain =
        submit("batch ablation", new JsonObject().put("batch_size", JsonArray.of(16, 32, 64)));
    long hostile = submit(XSS, new JsonObject().put("objective", JsonArray.of("jsd", "infonce")));
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/sweeps");

    WebElement row = browser.visible("tr[data-sweep='" + hostile + "']");
    assertThat(row.findElement(By.cssSelector("td.name")).getText()).isEqualTo(XSS);
    assertThat(browser.driver().findElements(By.cssSelector("main img"))).isEmpty();
    assertThatThrownBy(() -> browser.driver().switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    // Without a worker every trial waits in the queue: three for the plain sweep, all unfinished.
    WebElement plainRow = browser.visible("tr[data-sweep='" + plain + "']");
    assertThat(plainRow.findElement(By.cssSelector("td.name")).getText())
        .isEqualTo("batch ablation");
    assertThat(plainRow.findElement(By.cssSelector(".progress")).getAttribute("aria-label"))
        .matches("3 (queued|active)");

    browser.visible("#filter-q").sendKeys("ablation", Keys.ENTER);
    browser.urlContains("q=ablation");
    List<WebElement> matching = browser.count("#sweeps tbody tr", 1);
    assertThat(matching.get(0).getAttribute("data-sweep")).isEqualTo(String.valueOf(plain));

    browser.open("#/sweeps/" + hostile);
    assertThat(browser.textContains("main h1", "onerror")).isEqualTo(XSS);
    assertThat(browser.driver().findElements(By.cssSelector("main img"))).isEmpty();
  }

  @Test
  @DisplayName("a sweep's trials sort by a header chosen with the keyboard alone")
  void sortsTrialsFromTheKeyboard() throws Exception {
    long id = submit("sorting", new JsonObject().put("batch_size", JsonArray.of(16, 32, 64)));
    JsonArray trials = dashboard.get("/sweeps/" + id).getJsonArray("trials");
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/sweeps/" + id);
    browser.visible("#trials tbody tr");
    assertThat(trialOrder())
        .isEqualTo(trials.stream().map(t -> ((JsonObject) t).getLong("id").toString()).toList());

    // Tab until the "batch_size" header's button has the focus, then press Enter twice: descending.
    WebElement header = browser.visible("button[data-sort='params.batch_size']");
    for (int i = 0; i < 40 && !header.equals(browser.driver().switchTo().activeElement()); i++) {
      new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
    }
    assertThat(browser.driver().switchTo().activeElement()).isEqualTo(header);
    browser.screenshot("sweep-keyboard-focus-1280");
    header.sendKeys(Keys.ENTER);
    browser.visible("th[aria-sort='ascending'] button[data-sort='params.batch_size']");
    browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
    browser.visible("th[aria-sort='descending'] button[data-sort='params.batch_size']");
    List<String> byBatchDescending =
        trials.stream()
            .map(JsonObject.class::cast)
            .sorted(
                Comparator.comparingInt(
                        (JsonObject t) -> t.getJsonObject("params").getInteger("batch_size"))
                    .reversed())
            .map(t -> String.valueOf(t.getLong("id")))
            .toList();
    assertThat(trialOrder()).isEqualTo(byBatchDescending);
  }

  private static List<String> trialOrder() {
    return browser.driver().findElements(By.cssSelector("#trials tbody tr")).stream()
        .map(r -> r.getAttribute("data-trial"))
        .toList();
  }

  @Test
  @DisplayName("the new-sweep form keeps its fields and the JSON spec in sync and submits a sweep")
  void newSweepFormSubmits() throws Exception {
    fillNewSweep("from the form", "16, 48");
    JsonObject spec = editorSpec();
    assertThat(spec.getString("name")).isEqualTo("from the form");
    assertThat(spec.getJsonObject("parameters").getJsonArray("batch_size"))
        .isEqualTo(JsonArray.of(16, 48));
    // Two objectives ticked by default times two batch sizes.
    assertThat(browser.textContains("#preview", "4 trials")).contains("4 trials");

    // An edit of the JSON shows in the form.
    spec.put("fixed", new JsonObject().put("epochs", 3));
    setEditor(spec);
    assertThat(browser.visible("#field-epochs").getDomProperty("value")).isEqualTo("3");

    browser.visible("#submit").click();
    browser.urlMatches("#/sweeps/\\d+$");
    String hash = browser.driver().getCurrentUrl().replaceAll(".*#/sweeps/", "");
    JsonObject created = dashboard.get("/sweeps/" + hash);
    assertThat(created.getString("name")).isEqualTo("from the form");
    assertThat(created.getJsonArray("trials")).hasSize(4);
    assertThat(created.getJsonObject("spec").getJsonObject("fixed").getInteger("epochs"))
        .isEqualTo(3);
    browser.textContains("main h1", "from the form");
  }

  @Test
  @DisplayName("a bad field of the new-sweep form shows the server's error beside that field")
  void badFieldShowsItsError() throws Exception {
    WebElement batch = fillNewSweep("bad batch", "0, 64");
    JsonObject spec = editorSpec();

    // What the API itself says about the same spec.
    HttpResponse<Buffer> refused = dashboard.post("/sweeps", spec);
    assertThat(refused.statusCode()).isEqualTo(400);
    JsonObject error = refused.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("field")).startsWith("parameters.batch_size");
    String expected = error.getString("field") + ": " + error.getString("message");

    browser.visible("#submit").click();
    assertThat(browser.textContains("#error-batch_size", expected)).contains(expected);
    assertThat(batch.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.driver().findElement(By.id("error-name")).getText()).isEmpty();
    browser.screenshot("new-sweep-error-1280");
  }

  @Test
  @DisplayName("pause, resume and cancel change the sweep")
  void controlsPauseResumeAndCancel() throws Exception {
    long id = submit("controlled", new JsonObject().put("batch_size", JsonArray.of(16, 32)));
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/sweeps/" + id);
    browser.textContains("#sweep-status", "active");

    browser.visible("#sweep-pause").click();
    browser.textContains("#sweep-status", "paused");
    browser.visible("#sweep-resume").click();
    browser.textContains("#sweep-status", "active");
    browser.visible("#sweep-cancel").click();
    browser.driver().switchTo().alert().accept();
    browser.textContains("#sweep-status", "cancelled");
    JsonObject sweep = dashboard.get("/sweeps/" + id);
    // Nothing ran without a worker: both queued trials were cancelled with the sweep.
    assertThat(sweep.getJsonObject("counts")).isEqualTo(new JsonObject().put("cancelled", 2));
  }

  @Test
  @DisplayName("a trial's Cancel button cancels it, and the page then offers Retry")
  void trialPageCancelsATrial() throws Exception {
    long id = submit("one to cancel", new JsonObject().put("batch_size", JsonArray.of(16)));
    long trial =
        dashboard.get("/sweeps/" + id).getJsonArray("trials").getJsonObject(0).getLong("id");
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/trials/" + trial);
    browser.textContains("h1", "queued");

    browser.visible("#trial-cancel").click();

    browser.textContains("h1", "cancelled");
    assertThat(dashboard.get("/trials/" + trial).getString("status")).isEqualTo("cancelled");
    assertThat(browser.visible("#trial-retry").isDisplayed()).isTrue();
  }

  @Test
  @DisplayName("the form checks as you type with dry runs and creates nothing")
  void validatesAsYouTypeWithDryRuns() throws Exception {
    long sweepsBefore = dashboard.get("/sweeps?limit=1").getLong("total");
    WebElement batch = fillNewSweep("typed", "0, 64");
    JsonObject refused = dashboard.post("/sweeps?dry_run=true", editorSpec()).bodyAsJsonObject();
    JsonObject error = refused.getJsonArray("errors").getJsonObject(0);
    String expected = error.getString("field") + ": " + error.getString("message");
    assertThat(browser.textContains("#error-batch_size", expected)).contains(expected);

    batch.clear();
    batch.sendKeys("16, 64");
    int trials =
        dashboard
            .post("/sweeps?dry_run=true", editorSpec())
            .bodyAsJsonObject()
            .getInteger("trials");
    assertThat(trials).isEqualTo(4);
    browser.textContains("#preview", "Valid. Makes 4 trials");
    assertThat(browser.driver().findElement(By.id("error-batch_size")).getText()).isEmpty();
    assertThat(dashboard.get("/sweeps?limit=1").getLong("total")).isEqualTo(sweepsBefore);
  }

  @Test
  @DisplayName("every page renders at laptop and phone width without sideways scrolling")
  void pagesRenderAtBothWidths() throws Exception {
    long id =
        submit(
            "two widths",
            new JsonObject()
                .put("objective", JsonArray.of("jsd", "infonce"))
                .put("batch_size", JsonArray.of(32, 128)));
    long trial =
        dashboard.get("/sweeps/" + id).getJsonArray("trials").getJsonObject(0).getLong("id");
    String[][] pages = {
      {"sweeps", "#/sweeps", "#sweeps"},
      {"new-sweep", "#/sweeps/new", "#spec-json"},
      {"sweep", "#/sweeps/" + id, "#trials"},
      {"trial", "#/trials/" + trial, "#params"},
      {"workers", "#/workers", "#workers-box > *"},
      {"compare", "#/compare?ids=" + trial + "," + (trial + 1), "#param-diff"},
    };
    for (Dimension size : Browser.WIDTHS) {
      browser.size(size);
      for (String[] page : pages) {
        browser.open(page[1]);
        browser.visible(page[2]);
        browser.visible("main h1");
        browser.screenshot(page[0] + "-" + size.getWidth());
        assertThat(browser.overflow()).as(page[0] + " at " + size.getWidth()).isZero();
      }
    }
  }

  @Test
  @DisplayName("a page whose request fails says which request it was and how the server answered")
  void failedRequestIsNamed() throws Exception {
    long unknown = 999_999;
    String error = dashboard.get("/trials/" + unknown).getString("error");
    assertThat(error).isNotEmpty();
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/trials/" + unknown);
    assertThat(browser.visible("main .notice-error").getText())
        .isEqualTo(
            "Trial "
                + unknown
                + " could not be loaded: GET /api/trials/"
                + unknown
                + " answered 404: "
                + error);
  }

  private static JsonObject editorSpec() {
    return new JsonObject(browser.visible("#spec-json").getDomProperty("value"));
  }

  /** Replaces the editor's text as typing would, firing its input event. */
  private static void setEditor(JsonObject spec) {
    browser.script(
        "const e = document.getElementById('spec-json'); e.value = arguments[0];"
            + " e.dispatchEvent(new Event('input', {bubbles: true}));",
        spec.encodePrettily());
  }
}
