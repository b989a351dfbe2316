package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.worker.queue.ClaimedTrial;
import dev.cliplab.worker.queue.MetricPoint;
import dev.cliplab.worker.queue.TrialQueue;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a dashboard sees of a running trial: its metric history downsampled by the server, and its
 * changes as they happen over {@code GET /api/events}, with the metrics written through the
 * worker's own {@link TrialQueue}.
 */
class LiveTrialApiTest {

  private static Vertx vertx;
  private static Platform platform;
  private static WebClient client;
  private static TrialQueue queue;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    platform = PlatformTestSupport.apiOnly(vertx);
    client = WebClient.create(vertx);
    queue = new TrialQueue(platform.pool());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static JsonObject createSweep(String name) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("name", name)
            .put("parameters", new JsonObject().put("batch_size", new JsonArray().add(16)));
    return await(client.postAbs(platform.apiAddress() + "/sweeps").sendJsonObject(spec))
        .bodyAsJsonObject();
  }

  private static ClaimedTrial claim() throws Exception {
    return await(queue.claim("test@host/cpu", Duration.ofMinutes(5))).orElseThrow();
  }

  private static JsonObject metrics(long trial, String query) throws Exception {
    return await(
            client.getAbs(platform.apiAddress() + "/trials/" + trial + "/metrics?" + query).send())
        .bodyAsJsonObject();
  }

  private static JsonArray point(long step, Object value) {
    return JsonArray.of(step, value);
  }

  @Test
  @DisplayName("a long series comes back as first, min, max and last of equal step ranges")
  void longSeriesIsDownsampledFromRollups() throws Exception {
    createSweep("history");
    ClaimedTrial trial = claim();
    // 10,000 steps of 1.0 with four peaks; and a short series of 20 points.
    List<MetricPoint> points = new ArrayList<>();
    for (int step = 0; step < 10_000; step++) {
      double value =
          switch (step) {
            case 1234 -> 9.0;
            case 4321 -> -3.0;
            case 7000 -> Double.NaN;
            case 8000 -> Double.NEGATIVE_INFINITY;
            default -> 1.0;
          };
      points.add(new MetricPoint("loss", step, value));
    }
    double[] lr = {5, 3, 8, 1, 4, 4, 2, 9, 0, 6, 7, 1, 2, 2, -1, 5, 5, 8, 1, 3};
    for (int step = 0; step < lr.length; step++) {
      points.add(new MetricPoint("lr", step, lr[step]));
    }
    await(queue.recordMetrics(trial, points));

    JsonObject eight = metrics(trial.id(), "name=loss,lr&points=8");
    JsonObject all = metrics(trial.id(), "name=lr&points=0");
    JsonObject enough = metrics(trial.id(), "name=lr&points=20");

    // Two ranges, steps 0-4999 and 5000-9999, each with its first, min, max and last point.
    assertThat(eight.getBoolean("downsampled")).isTrue();
    assertThat(eight.getJsonObject("series").getJsonArray("loss"))
        .containsExactly(
            point(0, 1.0),
            point(1234, 9.0),
            point(4321, -3.0),
            point(4999, 1.0),
            point(5000, 1.0),
            point(7000, "NaN"),
            point(8000, "-Infinity"),
            point(9999, 1.0));
    // 20 points in 2 ranges of 10 steps: (0,5) (7,9) (8,0) (9,6) and (10,7) (14,-1) (17,8) (19,3).
    assertThat(eight.getJsonObject("series").getJsonArray("lr"))
        .containsExactly(
            point(0, 5.0),
            point(7, 9.0),
            point(8, 0.0),
            point(9, 6.0),
            point(10, 7.0),
            point(14, -1.0),
            point(17, 8.0),
            point(19, 3.0));
    assertThat(all.getJsonObject("series").getJsonArray("lr")).hasSize(20);
    assertThat(all.getBoolean("downsampled")).isFalse();
    assertThat(enough.getJsonObject("series").getJsonArray("lr").getJsonArray(14))
        .isEqualTo(point(14, -1.0));

    // Rewriting the peak leaves no stale maximum: the first range's largest value is now the
    // 1.0 at its earliest step, 0, which is also its first point.
    await(queue.recordMetrics(trial, List.of(new MetricPoint("loss", 1234, 1.0))));
    JsonArray rewritten =
        metrics(trial.id(), "name=loss&points=8").getJsonObject("series").getJsonArray("loss");
    assertThat(
            List.of(
                rewritten.getJsonArray(0), rewritten.getJsonArray(1), rewritten.getJsonArray(2)))
        .containsExactly(point(0, 1.0), point(4321, -3.0), point(4999, 1.0));
  }

  @Test
  @DisplayName("a series too long to scan but with few summaries sends each summary's four points")
  void fewSummariesOfALongSeriesAreSentAsTheyAre() throws Exception {
    createSweep("coarse");
    ClaimedTrial trial = claim();
    // Steps 1-3000, value = step, with one dip: four summaries of 1,000 steps (the first from 1).
    List<MetricPoint> points = new ArrayList<>();
    for (int step = 1; step <= 3000; step++) {
      points.add(new MetricPoint("loss", step, step == 1500 ? -5.0 : step));
    }
    await(queue.recordMetrics(trial, points));

    // 200 points asked for: 50 ranges, but only 4 summaries, and 3,000 points > 10 x 200.
    JsonObject coarse = metrics(trial.id(), "name=loss&points=200");

    assertThat(coarse.getBoolean("downsampled")).isTrue();
    assertThat(coarse.getJsonObject("series").getJsonArray("loss"))
        .containsExactly(
            point(1, 1.0),
            point(999, 999.0),
            point(1000, 1000.0),
            point(1500, -5.0),
            point(1999, 1999.0),
            point(2000, 2000.0),
            point(2999, 2999.0),
            point(3000, 3000.0));
  }

  @Test
  @DisplayName("the event stream sends a trial's state changes and metric batches, filtered")
  void eventStreamSendsFilteredChanges() throws Exception {
    long sweep = createSweep("live").getLong("id");
    createSweep("other");
    HttpClient http = vertx.createHttpClient();
    StringBuffer received = new StringBuffer();
    long trialId =
        await(client.getAbs(platform.apiAddress() + "/sweeps/" + sweep).send())
            .bodyAsJsonObject()
            .getJsonArray("trials")
            .getJsonObject(0)
            .getLong("id");
    HttpClientResponse stream =
        await(
            http.request(
                    HttpMethod.GET,
                    platform.httpPort(),
                    "127.0.0.1",
                    "/api/events?trial_id=" + trialId)
                .compose(req -> req.send())
                // Read from the first chunk on, on the event loop that delivers it.
                .map(response -> response.handler(chunk -> received.append(chunk.toString()))));
    waitFor(() -> received.indexOf(": connected") >= 0);

    // Claimed in priority then id order: the "live" trial first, then the other sweep's.
    ClaimedTrial live = claim();
    ClaimedTrial other = claim();
    await(queue.recordMetrics(other, List.of(new MetricPoint("loss", 1, 9.0))));
    await(
        queue.recordMetrics(
            live,
            List.of(
                new MetricPoint("loss", 1, 2.0),
                new MetricPoint("loss", 2, 1.5),
                new MetricPoint("lr", 2, 0.1))));
    waitFor(() -> received.indexOf("event: metrics") >= 0);

    assertThat(stream.getHeader("content-type")).isEqualTo("text/event-stream");
    assertThat(live.id()).isEqualTo(trialId);
    List<String[]> events = events(received.toString());
    assertThat(events).hasSize(2);
    assertThat(events.get(0)[0]).isEqualTo("trial");
    assertThat(new JsonObject(events.get(0)[1]))
        .isEqualTo(
            new JsonObject()
                .put("trial_id", trialId)
                .put("sweep_id", sweep)
                .put("status", "running")
                .put("attempt", 1)
                .putNull("rung"));
    assertThat(events.get(1)[0]).isEqualTo("metrics");
    assertThat(new JsonObject(events.get(1)[1]))
        .isEqualTo(
            new JsonObject()
                .put("trial_id", trialId)
                .put("sweep_id", sweep)
                .put("step", 2)
                .put("points", 3));

    assertThat(platform.api().openEventStreams()).isEqualTo(1);
    await(http.close());
    waitFor(() -> platform.api().openEventStreams() == 0);
  }

  /** Each {@code event:} block's type and data, comments left out. */
  private static List<String[]> events(String text) {
    List<String[]> out = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      String type = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (type != null) {
        out.add(new String[] {type, data});
      }
    }
    return out;
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as("condition reached within 30 s").isTrue();
  }
}
