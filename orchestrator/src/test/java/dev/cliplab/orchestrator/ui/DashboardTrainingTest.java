package dev.cliplab.orchestrator.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.orchestrator.PlatformTestSupport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The pages of trials that trained: an in-process CPU worker trains two tiny jsd trials and their
 * CLIP baselines on the committed fixture, then the browser draws their curves and results.
 */
class DashboardTrainingTest {

  @TempDir static Path work;
  private static Dashboard dashboard;
  private static Browser browser;
  private static long sweepId;
  private static JsonArray trials;

  @BeforeAll
  static void trainTwoTrials() throws Exception {
    Path data = PlatformTestSupport.copyFixture(work.resolve("data"));
    dashboard =
        Dashboard.start(
            "--devices",
            "cpu",
            "--data",
            data.toString(),
            "--work-dir",
            work.resolve("runs").toString());
    browser = dashboard.browser();
    JsonObject spec =
        tinySweep(
                "dashboard",
                JsonArray.of(16, 32),
                new JsonObject()
                    .put("epochs", 1)
                    .put("evaluations", JsonArray.of("zeroshot_emoji_groups", "retrieval_heldout")))
            .put("baselines", true);
    sweepId = dashboard.submit(spec);
    JsonObject sweep = dashboard.waitUntilFinished(sweepId, 300);
    // Two jsd points and the CLIP baseline (infonce, all negatives) of each.
    assertThat(sweep.getJsonObject("counts")).isEqualTo(new JsonObject().put("succeeded", 4));
    trials = sweep.getJsonArray("trials");
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
  }

  /**
   * A jsd sweep over batch sizes of a model small enough to train in seconds on the fixture, with
   * one evaluation; {@code fixed} adds to or overrides its fixed parameters.
   */
  private static JsonObject tinySweep(String name, JsonArray batchSizes, JsonObject fixed) {
    JsonObject tiny =
        new JsonObject(
            """
            {"objective": "jsd", "image_size": 32, "image_width": 8, "embed_dim": 32,
             "text_hidden": 32, "text_layers": 1, "warmup_steps": 2,
             "evaluations": ["zeroshot_emoji_groups"]}""");
    return new JsonObject()
        .put("name", name)
        .put("parameters", new JsonObject().put("batch_size", batchSizes))
        .put("fixed", tiny.mergeIn(fixed));
  }

  /** The id of the trial's CLIP baseline, as the API matches it. */
  private static long baselineOf(long id) throws Exception {
    return get("/trials/" + id).getJsonObject("baseline").getLong("trial_id");
  }

  private static JsonObject get(String path) throws Exception {
    return dashboard.get(path);
  }

  @Test
  @DisplayName(
      "a trained trial's page draws its loss curve from the history and shows its baseline")
  void trialPageDrawsTheLossCurve() throws Exception {
    long id = trials.getJsonObject(0).getLong("id");
    JsonArray loss =
        get("/trials/" + id + "/metrics?name=loss").getJsonObject("series").getJsonArray("loss");
    assertThat(loss.size()).isGreaterThan(1);

    for (Dimension size : Browser.WIDTHS) {
      browser.size(size);
      browser.open("#/trials/" + id);
      browser.visible("#curves figure.chart canvas");
      // The drawn series: uPlot's data for the chart captioned "loss", steps and values.
      @SuppressWarnings("unchecked")
      List<List<Number>> drawn =
          (List<List<Number>>)
              browser.script(
                  "const f = [...document.querySelectorAll('#curves figure')]"
                      + ".find(f => f.querySelector('figcaption').textContent === 'loss');"
                      + " return f.plot.data;");
      assertThat(drawn.get(0)).hasSize(loss.size());
      for (int i = 0; i < loss.size(); i++) {
        assertThat(drawn.get(0).get(i).longValue()).isEqualTo(loss.getJsonArray(i).getLong(0));
        assertThat(drawn.get(1).get(i).doubleValue()).isEqualTo(loss.getJsonArray(i).getDouble(1));
      }
      assertThat(browser.overflow()).isZero();
      browser.screenshot("trial-trained-" + size.getWidth());
    }
    assertThat(trials.getJsonObject(0).getJsonObject("params").getString("objective"))
        .isEqualTo("jsd");
    JsonObject comparison =
        get("/trials/" + id)
            .getJsonObject("baseline")
            .getJsonObject("comparison")
            .getJsonObject("final")
            .getJsonObject("zeroshot_emoji_groups")
            .getJsonObject("top1");
    double difference = comparison.getDouble("difference");
    browser.visible("#evaluations");
    WebElement row =
        browser.driver().findElements(By.cssSelector("#evaluations tbody tr")).stream()
            .filter(r -> r.getText().startsWith("final zeroshot_emoji_groups top1 "))
            .findFirst()
            .orElseThrow();
    assertThat(row.getText())
        .isEqualTo(
            "final zeroshot_emoji_groups top1 "
                + fourDigits(comparison.getDouble("value"))
                + " CLIP "
                + fourDigits(comparison.getDouble("baseline"))
                + " ("
                + (difference > 0 ? "+" : difference < 0 ? "\u2212" : "\u00b1")
                + fourDigits(Math.abs(difference))
                + ")");
    assertThat(row.findElement(By.cssSelector(".vs")).getAttribute("class"))
        .endsWith(difference > 0 ? "better" : difference < 0 ? "worse" : "same");
  }

  @Test
  @DisplayName(
      "a trial's retrieval gallery shows each image's captions in the API's order with its own"
          + " marked, and its phase can be switched from the keyboard")
  void trialPageShowsTheRetrievalGallery() throws Exception {
    long id = trials.getJsonObject(0).getLong("id");
    assertThat(get("/trials/" + id).getJsonArray("evaluation_details"))
        .containsExactlyInAnyOrder("untrained", "final");
    for (Dimension size : Browser.WIDTHS) {
      browser.size(size);
      browser.open("#/trials/" + id);
      assertThat(browser.visible("#gallery-phase").getDomProperty("value")).isEqualTo("final");
      assertGalleryShows(id, "final");
      assertThat(browser.overflow()).isZero();
      browser.screenshot("trial-gallery-" + size.getWidth());
    }
    // Keyboard only: Tab until the phase picker has the focus, then arrow keys choose a phase.
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/trials/" + id);
    assertGalleryShows(id, "final");
    browser.tabTo("#gallery-phase", false);
    String first =
        browser.driver().findElements(By.cssSelector("#gallery-phase option")).get(0).getText();
    browser.type("final".equals(first) ? Keys.ARROW_DOWN : Keys.ARROW_UP);
    assertGalleryShows(id, "untrained");
  }

  /**
   * Waits for the gallery of the phase and checks it against the API's: every image loaded, its
   * captions as the page shows them (text, rank order) and which are marked as its own.
   */
  private static void assertGalleryShows(long id, String phase) throws Exception {
    JsonArray gallery =
        get("/trials/" + id + "/evaluations/" + phase)
            .getJsonObject("report")
            .getJsonObject("retrieval_heldout")
            .getJsonObject("details")
            .getJsonArray("gallery");
    assertThat(gallery).hasSize(12);
    browser.count("#gallery[data-phase='" + phase + "'] .gallery-item", gallery.size());
    browser.until(
        Duration.ofSeconds(30),
        "return [...document.querySelectorAll('#gallery img')]"
            + ".every(i => i.complete && i.naturalWidth > 0);");
    @SuppressWarnings("unchecked")
    List<List<List<Object>>> shown =
        (List<List<List<Object>>>)
            browser.script(
                "return [...document.querySelectorAll('#gallery .gallery-item')].map(item =>"
                    + " [...item.querySelectorAll('.captions li')].map(li =>"
                    + " [li.querySelector('.caption').textContent, li.textContent.includes("
                    + "'\u2713 own caption')]));");
    assertThat(shown).hasSize(gallery.size());
    int marked = 0;
    for (int k = 0; k < gallery.size(); k++) {
      JsonArray top = gallery.getJsonObject(k).getJsonArray("top");
      assertThat(shown.get(k)).hasSize(top.size());
      for (int j = 0; j < top.size(); j++) {
        JsonObject caption = top.getJsonObject(j);
        assertThat(shown.get(k).get(j))
            .containsExactly(caption.getString("caption"), caption.getBoolean("own"));
        marked += caption.getBoolean("own") ? 1 : 0;
      }
    }
    assertThat(browser.script("return document.querySelectorAll('#gallery .own-mark').length;"))
        .isEqualTo((long) marked);
  }

  @Test
  @DisplayName(
      "a sweep's chart draws final zero-shot top-1 against batch size, one line per objective")
  void sweepChartPlotsMetricAgainstParameter() throws Exception {
    // objective -> [top-1 at batch 16, top-1 at batch 32], read trial by trial from the API.
    Map<String, double[]> expected = new TreeMap<>();
    for (Object t : trials) {
      JsonObject trial = get("/trials/" + ((JsonObject) t).getLong("id"));
      JsonObject params = trial.getJsonObject("params");
      expected
              .computeIfAbsent(params.getString("objective"), o -> new double[2])[
              params.getInteger("batch_size") == 16 ? 0 : 1] =
          trial
              .getJsonObject("evaluations")
              .getJsonObject("final")
              .getJsonObject("zeroshot_emoji_groups")
              .getDouble("top1");
    }
    assertThat(expected.keySet()).containsExactly("infonce", "jsd");
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/sweeps/" + sweepId);
    browser.visible(".chart-box figure.chart canvas");
    assertThat(browser.visible("#chart-metric").getDomProperty("value"))
        .isEqualTo("eval.final.zeroshot_emoji_groups.top1");
    assertThat(browser.visible("#chart-param").getDomProperty("value")).isEqualTo("batch_size");
    @SuppressWarnings("unchecked")
    List<Object> chart =
        (List<Object>)
            browser.script(
                "const p = document.querySelector('.chart-box figure').plot;"
                    + " return [p.data, p.series.map(s => s.label)];");
    @SuppressWarnings("unchecked")
    List<List<Number>> data = (List<List<Number>>) chart.get(0);
    assertThat(chart.get(1)).isEqualTo(List.of("batch_size", "infonce", "jsd"));
    assertThat(data.get(0)).extracting(Number::intValue).containsExactly(16, 32);
    assertThat(data.get(1))
        .extracting(Number::doubleValue)
        .containsExactly(expected.get("infonce")[0], expected.get("infonce")[1]);
    assertThat(data.get(2))
        .extracting(Number::doubleValue)
        .containsExactly(expected.get("jsd")[0], expected.get("jsd")[1]);
    browser.screenshot("sweep-trained-1280");
  }

  @Test
  @DisplayName(
      "the compare page overlays a trial's curves on its baseline's and lists what differs")
  void comparesATrialWithItsBaseline() throws Exception {
    long id = trials.getJsonObject(0).getLong("id");
    long baseline = baselineOf(id);
    JsonObject mine = get("/trials/" + id).getJsonObject("params");
    JsonObject theirs = get("/trials/" + baseline).getJsonObject("params");
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/compare?ids=" + id + "," + baseline);

    // The baseline spells out every parameter; the trial leaves most to their defaults, which
    // are the baseline's values except for the objective and its negatives (1 for jsd).
    List<String> rows =
        browser.visible("#param-diff").findElements(By.cssSelector("tbody tr")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(rows).containsExactly("negatives 1 (default) all", "objective jsd infonce");
    assertThat(theirs.getString("objective")).isEqualTo("infonce");
    assertThat(theirs.getString("negatives")).isEqualTo("all");
    assertThat(mine.getString("objective")).isEqualTo("jsd");
    assertThat(mine.containsKey("negatives")).isFalse();
    browser.visible(".curves figure.chart canvas");
    @SuppressWarnings("unchecked")
    List<String> labels =
        (List<String>)
            browser.script(
                "return document.querySelector('.curves figure').plot.series.map(s => s.label);");
    assertThat(labels).containsExactly("step", "#" + id + " jsd", "#" + baseline + " infonce");
    browser.screenshot("compare-trained-1280");
  }

  @Test
  @DisplayName(
      "from the keyboard alone, a trial and its baseline are ticked on the sweep page and compared")
  void comparesFromTheKeyboard() throws Exception {
    long id = trials.getJsonObject(0).getLong("id");
    long baseline = baselineOf(id);
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/sweeps/" + sweepId);
    browser.visible("#trials");
    for (long tick : new long[] {id, baseline}) {
      browser.tabTo("input[aria-label='compare trial " + tick + "']", false);
      browser.type(Keys.SPACE);
    }
    browser.tabTo("#compare-selected", true);
    browser.type(Keys.ENTER);
    browser.urlContains("#/compare?ids=");
    // Ticked in this order; the address lists them so.
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/compare?ids=" + id + "," + baseline);
    assertThat(browser.visible("#param-diff").findElements(By.cssSelector("tbody tr")))
        .extracting(WebElement::getText)
        .containsExactly("negatives 1 (default) all", "objective jsd infonce");
    // The ids field and its button work from the keyboard too: compare the trial with itself.
    browser.tabTo("#compare-ids", false);
    browser.type(Keys.chord(Keys.CONTROL, "a"), String.valueOf(id), Keys.ENTER);
    browser.urlMatches(".*#/compare\\?ids=" + id + "$");
    browser.textContains("#compare-box", "#" + id);
  }

  @Test
  @DisplayName("a diverged trial's page shows its error, the points it recorded and retry")
  void divergedTrialShowsItsError() throws Exception {
    // As the trainer's own test: SGD's coupled decay at lr 10 and decay 10 multiplies each
    // decayed weight by -99 per step, so the loss turns NaN within about 20 steps.
    JsonObject spec =
        tinySweep(
            "exploding",
            JsonArray.of(16),
            new JsonObject()
                .put("epochs", 3)
                .put("optimizer", "sgd")
                .put("learning_rate", 10)
                .put("image_learning_rate", 10)
                .put("weight_decay", 10)
                .put("grad_clip_norm", 0));
    long sweep = dashboard.submit(spec);
    dashboard.waitUntilFinished(sweep, 300);
    long id =
        dashboard.get("/sweeps/" + sweep).getJsonArray("trials").getJsonObject(0).getLong("id");
    JsonObject trial = get("/trials/" + id);
    assertThat(trial.getString("status")).isEqualTo("diverged");

    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/trials/" + id);
    assertThat(browser.visible("#trial-error").getText()).isEqualTo(trial.getString("error"));
    assertThat(browser.visible("main h1").getText()).contains("diverged");
    assertThat(browser.visible("#trial-retry").isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.id("trial-cancel")).isDisplayed()).isFalse();
    // Whatever finite points it recorded before the blow-up are drawn, and no more.
    long recorded =
        get("/trials/" + id + "/metrics?name=loss")
            .getJsonObject("series")
            .getJsonArray("loss", new JsonArray())
            .size();
    browser.until(TRAINING, LOSS_POINTS + " === arguments[0]", recorded);
    if (recorded == 0) {
      browser.textContains("#curves", "It recorded no metrics.");
    }
    browser.screenshot("trial-diverged-1280");
  }

  @Test
  @DisplayName("the workers page lists the CPU worker")
  void workersPageListsTheWorker() throws Exception {
    HttpResponse<Buffer> answer = dashboard.getRaw("/workers");
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonObject worker = answer.bodyAsJsonObject().getJsonArray("workers").getJsonObject(0);
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/workers");
    WebElement row = browser.visible("#workers tbody tr");
    List<String> cells =
        row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(cells.subList(0, 3))
        .containsExactly(worker.getString("id"), worker.getString("host"), "cpu");
    browser.screenshot("workers-cpu-1280");
  }

  @Test
  @DisplayName("a running trial's page draws new points as they are recorded, without a reload")
  void runningTrialCurvesGrow() throws Exception {
    JsonObject spec = tinySweep("live", JsonArray.of(16), new JsonObject().put("epochs", 4));
    long id =
        dashboard
            .get("/sweeps/" + dashboard.submit(spec))
            .getJsonArray("trials")
            .getJsonObject(0)
            .getLong("id");
    browser.size(Browser.WIDTHS.get(0));
    browser.open("#/trials/" + id);
    // Opened once, just after the submit, so the trial is queued or early in training (a fast
    // machine may still finish first; the end state below holds either way). A reload would
    // lose this mark.
    browser.visible("#curves-title");
    browser.script("window.openedOnce = true;");
    browser.until(TRAINING, LOSS_POINTS + " > 0");
    browser.screenshot("trial-running-1280");

    long sweepId = dashboard.get("/trials/" + id).getLong("sweep_id");
    JsonObject sweep = dashboard.waitUntilFinished(sweepId, 300);
    assertThat(sweep.getJsonObject("counts")).isEqualTo(new JsonObject().put("succeeded", 1));
    JsonArray loss =
        get("/trials/" + id + "/metrics?name=loss").getJsonObject("series").getJsonArray("loss");
    browser.until(TRAINING, LOSS_POINTS + " === arguments[0]", loss.size());
    assertThat(browser.script("return window.openedOnce === true;")).isEqualTo(true);
    // The page also learnt, by itself, that the trial ended.
    assertThat(browser.textContains("main h1 .badge", "succeeded")).isEqualTo("succeeded");
  }

  private static final Duration TRAINING = Duration.ofSeconds(180);

  private static final String LOSS_POINTS =
      "return ([...document.querySelectorAll('#curves figure')]"
          + ".find(f => f.querySelector('figcaption').textContent === 'loss')?.plot?.data[0]"
          + ".length ?? 0)";

  /** The dashboard's number format: four significant digits. */
  private static String fourDigits(double value) {
    return new java.math.BigDecimal(value)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
