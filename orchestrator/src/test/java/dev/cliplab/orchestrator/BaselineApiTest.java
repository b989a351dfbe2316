package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Trials beside their CLIP baselines, and the labelled reference numbers, over the REST API. */
class BaselineApiTest {

  private static TestDatabase db;
  private static Vertx vertx;
  private static WebClient client;
  private static String api;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    Platform platform =
        await(Platform.start(vertx, PlatformTestSupport.options(db, "--devices", "none")));
    client = WebClient.create(vertx);
    api = platform.apiAddress();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("a jsd trial shows each metric beside its infonce baseline's, with the difference")
  void comparesWithTheBaseline() throws Exception {
    // The baseline comes from another sweep that spells the same point differently: the default
    // batch size given explicitly, the negatives left to their default ("all" for infonce).
    long jsd = onlyTrial(sweep("{\"objective\": [\"jsd\"]}", "{\"epochs\": 1}"));
    long clip =
        onlyTrial(sweep("{\"objective\": [\"infonce\"]}", "{\"epochs\": 1, \"batch_size\": 128}"));
    long unmatched = onlyTrial(sweep("{\"objective\": [\"jsd\"]}", "{\"epochs\": 2}"));
    succeed(jsd, "final", "voc_emoji", "map", 0.40);
    succeed(jsd, "final", "retrieval_heldout", "i2t_r1", 0.05);
    succeed(clip, "final", "voc_emoji", "map", 0.25);

    JsonObject baseline = trial(jsd).getJsonObject("baseline");
    assertThat(baseline.getLong("trial_id")).isEqualTo(clip);
    assertThat(baseline.getJsonObject("params").getString("objective")).isEqualTo("infonce");
    assertThat(baseline.getJsonObject("params").getString("negatives")).isEqualTo("all");
    JsonObject map =
        baseline
            .getJsonObject("comparison")
            .getJsonObject("final")
            .getJsonObject("voc_emoji")
            .getJsonObject("map");
    assertThat(map.getDouble("value")).isEqualTo(0.40);
    assertThat(map.getDouble("baseline")).isEqualTo(0.25);
    assertThat(map.getDouble("difference")).isCloseTo(0.15, within(1e-12));
    // A metric the baseline lacks is not compared.
    assertThat(baseline.getJsonObject("comparison").getJsonObject("final").fieldNames())
        .containsExactly("voc_emoji");

    assertThat(trial(clip).getJsonObject("baseline").getBoolean("self")).isTrue();
    JsonObject none = trial(unmatched).getJsonObject("baseline");
    assertThat(none.getValue("trial_id")).isNull();
    assertThat(none.getJsonObject("params").getInteger("epochs")).isEqualTo(2);
  }

  @Test
  @DisplayName("baselines: true queues each point's CLIP baseline once, and reuses queued ones")
  void queuesMissingBaselines() throws Exception {
    String points = "{\"objective\": [\"jsd\"], \"batch_size\": [16, 24]}";
    JsonObject first = create(points, "{\"epochs\": 3, \"seed\": 7}", true);
    assertThat(first.getInteger("trials")).isEqualTo(4);
    assertThat(first.getInteger("baselines_queued")).isEqualTo(2);
    JsonArray trials =
        await(client.getAbs(api + "/sweeps/" + first.getLong("id")).send())
            .bodyAsJsonObject()
            .getJsonArray("trials");
    JsonObject baseline = trials.getJsonObject(2).getJsonObject("params");
    assertThat(baseline.getString("objective")).isEqualTo("infonce");
    assertThat(baseline.getString("negatives")).isEqualTo("all");
    assertThat(baseline.getInteger("batch_size")).isEqualTo(16);
    assertThat(baseline.getInteger("seed")).isEqualTo(7);

    // The same points again: their baselines are already queued, so none is added.
    JsonObject again = create(points, "{\"epochs\": 3, \"seed\": 7}", true);
    assertThat(again.getInteger("trials")).isEqualTo(2);
    assertThat(again.getInteger("baselines_queued")).isZero();
    // A sweep that holds its own baselines gets no copies of them.
    JsonObject both = create("{\"objective\": [\"jsd\", \"infonce\"]}", "{\"epochs\": 5}", true);
    assertThat(both.getInteger("trials")).isEqualTo(2);
  }

  @Test
  @DisplayName("the published reference numbers are served apart, with their label and sources")
  void servesReferences() throws Exception {
    JsonObject body = await(client.getAbs(api + "/references").send()).bodyAsJsonObject();
    assertThat(body.getString("label")).contains("not measured by cliplab");
    JsonArray references = body.getJsonArray("references");
    assertThat(references).hasSize(4);
    assertThat(references.getJsonObject(0).getDouble("value")).isEqualTo(14.0);
    assertThat(references.getJsonObject(2).getString("source")).startsWith("VirTex");
    assertThat(references.getJsonObject(2).getDouble("value")).isEqualTo(88.7);
  }

  private static long sweep(String parameters, String fixed) throws Exception {
    JsonObject spec =
        new JsonObject(
            "{\"name\": \"baselines\", \"parameters\": "
                + parameters
                + ", \"fixed\": "
                + fixed
                + "}");
    return await(client.postAbs(api + "/sweeps").sendJsonObject(spec))
        .bodyAsJsonObject()
        .getLong("id");
  }

  private static JsonObject create(String parameters, String fixed, boolean baselines)
      throws Exception {
    JsonObject spec =
        new JsonObject(
                "{\"name\": \"b\", \"parameters\": " + parameters + ", \"fixed\": " + fixed + "}")
            .put("baselines", baselines);
    return await(client.postAbs(api + "/sweeps").sendJsonObject(spec)).bodyAsJsonObject();
  }

  private static long onlyTrial(long sweep) throws Exception {
    JsonObject body = await(client.getAbs(api + "/sweeps/" + sweep).send()).bodyAsJsonObject();
    return body.getJsonArray("trials").getJsonObject(0).getLong("id");
  }

  private static JsonObject trial(long id) throws Exception {
    return await(client.getAbs(api + "/trials/" + id).send()).bodyAsJsonObject();
  }

  /** Marks a trial succeeded with one evaluation, as a worker would have recorded it. */
  private static void succeed(long trial, String phase, String task, String metric, double value)
      throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
        PreparedStatement done =
            c.prepareStatement("UPDATE trials SET status = 'succeeded' WHERE id = ?");
        PreparedStatement eval =
            c.prepareStatement(
                "INSERT INTO evaluations (trial_id, phase, task, metric, value, attempt)"
                    + " VALUES (?, ?, ?, ?, ?, 0)")) {
      done.setLong(1, trial);
      done.executeUpdate();
      eval.setLong(1, trial);
      eval.setString(2, phase);
      eval.setString(3, task);
      eval.setString(4, metric);
      eval.setDouble(5, value);
      eval.executeUpdate();
    }
  }
}
