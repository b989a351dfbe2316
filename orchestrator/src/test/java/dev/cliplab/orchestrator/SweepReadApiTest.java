package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Lists, pages and the CSV export of sweeps, on fixture rows written straight into the real
 * PostgreSQL.
 */
class SweepReadApiTest {

  private static Vertx vertx;
  private static WebClient client;
  private static String api;
  private static Pool pool;
  private static long sweep;
  private static long otherSweep;
  private static List<Long> trials = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Platform platform = PlatformTestSupport.apiOnly(vertx);
    client = WebClient.create(vertx);
    api = platform.apiAddress();
    pool = platform.pool();
    sweep = insertSweep("Batch, \"sizes\"", "final.voc_emoji.map", "maximize");
    otherSweep = insertSweep("loss only", "epoch_loss", "minimize");
    // Four trials: batch sizes 8, 16, 128 and a text value, in three states.
    trials.add(insertTrial(sweep, "{\"batch_size\": 16, \"note\": \"a, \\\"b\\\"\"}", "succeeded"));
    trials.add(insertTrial(sweep, "{\"batch_size\": 128}", "succeeded"));
    trials.add(insertTrial(sweep, "{\"batch_size\": 8, \"objective\": \"jsd\"}", "failed"));
    trials.add(insertTrial(sweep, "{\"batch_size\": \"auto\"}", "queued"));
    evaluation(trials.get(0), "final", "voc_emoji", "map", 0.41);
    evaluation(trials.get(1), "final", "voc_emoji", "map", 0.52);
    evaluation(trials.get(2), "final", "voc_emoji", "map", 0.90); // failed: never the best
    evaluation(trials.get(0), "untrained", "voc_emoji", "map", 0.1);
    metric(trials.get(0), "loss", 1, 2.0);
    metric(trials.get(0), "loss", 2, 1.5);
    metric(trials.get(1), "loss", 1, Double.NaN);
    metric(trials.get(2), "loss", 3, 0.25);
    long a = insertTrial(otherSweep, "{\"batch_size\": 1}", "succeeded");
    long b = insertTrial(otherSweep, "{\"batch_size\": 2}", "succeeded");
    metric(a, "epoch_loss", 10, 0.7);
    metric(a, "epoch_loss", 20, 0.3);
    metric(b, "epoch_loss", 10, 0.2);
    metric(b, "epoch_loss", 20, 0.5);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static long insertSweep(String name, String metric, String goal) throws Exception {
    return await(
            pool.preparedQuery(
                    "INSERT INTO sweeps (name, spec, metric, goal) VALUES ($1, '{}', $2, $3)"
                        + " RETURNING id")
                .execute(Tuple.of(name, metric, goal)))
        .iterator()
        .next()
        .getLong("id");
  }

  private static long insertTrial(long sweepId, String params, String status) throws Exception {
    return await(
            pool.preparedQuery(
                    "INSERT INTO trials (sweep_id, params, params_hash, status)"
                        + " VALUES ($1, $2, $3, $4) RETURNING id")
                .execute(Tuple.of(sweepId, new JsonObject(params), params, status)))
        .iterator()
        .next()
        .getLong("id");
  }

  private static void evaluation(long trial, String phase, String task, String metric, double v)
      throws Exception {
    await(
        pool.preparedQuery(
                "INSERT INTO evaluations (trial_id, phase, task, metric, value, attempt)"
                    + " VALUES ($1, $2, $3, $4, $5, 1)")
            .execute(Tuple.of(trial, phase, task, metric, v)));
  }

  private static void metric(long trial, String name, long step, double value) throws Exception {
    await(
        pool.preparedQuery(
                "INSERT INTO metrics (trial_id, name, step, value, attempt) VALUES ($1, $2, $3, $4, 1)")
            .execute(Tuple.of(trial, name, step, value)));
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.getAbs(api + path).send());
  }

  private static List<Long> ids(JsonObject page) {
    List<Long> out = new ArrayList<>();
    page.getJsonArray("trials").forEach(t -> out.add(((JsonObject) t).getLong("id")));
    return out;
  }

  @Test
  @DisplayName("the sweep list gives counts per state, the total and the best succeeded trial")
  void listShowsCountsTotalAndBest() throws Exception {
    JsonObject list = get("/sweeps").bodyAsJsonObject();

    assertThat(list.getLong("total")).isEqualTo(2);
    JsonArray sweeps = list.getJsonArray("sweeps");
    assertThat(sweeps.getJsonObject(0).getLong("id")).isEqualTo(otherSweep);
    JsonObject first = sweeps.getJsonObject(1);
    assertThat(first.getJsonObject("counts"))
        .isEqualTo(new JsonObject().put("succeeded", 2).put("failed", 1).put("queued", 1));
    assertThat(first.getLong("trials")).isEqualTo(4);
    assertThat(first.getString("status")).isEqualTo("active");
    // 0.90 belongs to a failed trial; of the succeeded, 0.52 beats 0.41.
    assertThat(first.getJsonObject("best"))
        .isEqualTo(new JsonObject().put("trial_id", trials.get(1)).put("value", 0.52));
    // epoch_loss is minimised on each trial's latest value: 0.3 (step 20) beats 0.5.
    JsonObject losses = sweeps.getJsonObject(0);
    assertThat(losses.getString("status")).isEqualTo("finished");
    assertThat(losses.getJsonObject("best").getDouble("value")).isEqualTo(0.3);
  }

  @Test
  @DisplayName("the sweep list filters by state and by part of the name, and pages")
  void listFiltersAndPages() throws Exception {
    JsonObject finished = get("/sweeps?status=finished").bodyAsJsonObject();
    JsonObject named = get("/sweeps?q=SIZES").bodyAsJsonObject();
    JsonObject second = get("/sweeps?limit=1&offset=1").bodyAsJsonObject();
    JsonObject past = get("/sweeps?limit=1&offset=5").bodyAsJsonObject();

    assertThat(finished.getLong("total")).isEqualTo(1);
    assertThat(finished.getJsonArray("sweeps").getJsonObject(0).getLong("id"))
        .isEqualTo(otherSweep);
    assertThat(named.getJsonArray("sweeps").getJsonObject(0).getLong("id")).isEqualTo(sweep);
    assertThat(second.getJsonArray("sweeps").getJsonObject(0).getLong("id")).isEqualTo(sweep);
    assertThat(second.getLong("total")).isEqualTo(2);
    assertThat(past.getJsonArray("sweeps")).isEmpty();
    assertThat(past.getLong("total")).isEqualTo(2);
  }

  @Test
  @DisplayName("a sweep shows its first trials with their latest metrics and final evaluations")
  void sweepShowsTrialsWithMetricsAndEvaluations() throws Exception {
    JsonObject found = get("/sweeps/" + sweep).bodyAsJsonObject();

    assertThat(found.getLong("trials_total")).isEqualTo(4);
    assertThat(ids(found)).isEqualTo(trials);
    JsonObject first = found.getJsonArray("trials").getJsonObject(0);
    assertThat(first.getJsonObject("metrics")).isEqualTo(new JsonObject().put("loss", 1.5));
    assertThat(first.getJsonObject("evaluations"))
        .isEqualTo(new JsonObject().put("final.voc_emoji.map", 0.41));
    assertThat(found.getJsonArray("trials").getJsonObject(1).getJsonObject("metrics"))
        .isEqualTo(new JsonObject().put("loss", "NaN"));
  }

  @Test
  @DisplayName("trials sort by a parameter numerically, then by text, missing values last")
  void trialsSortByParameterNumerically() throws Exception {
    JsonObject asc = get("/sweeps/" + sweep + "/trials?sort=params.batch_size").bodyAsJsonObject();
    JsonObject desc =
        get("/sweeps/" + sweep + "/trials?sort=params.batch_size&order=desc").bodyAsJsonObject();
    JsonObject byObjective =
        get("/sweeps/" + sweep + "/trials?sort=params.objective").bodyAsJsonObject();

    // 8 < 16 < 128 as numbers ("128" < "16" < "8" as text), then the text value "auto".
    assertThat(ids(asc))
        .containsExactly(trials.get(2), trials.get(0), trials.get(1), trials.get(3));
    assertThat(ids(desc))
        .containsExactly(trials.get(1), trials.get(0), trials.get(2), trials.get(3));
    assertThat(ids(byObjective).get(0)).isEqualTo(trials.get(2));
  }

  @Test
  @DisplayName("trials sort by an evaluation or a latest metric and filter by state")
  void trialsSortByEvaluationAndMetricAndFilter() throws Exception {
    JsonObject byMap =
        get("/sweeps/" + sweep + "/trials?sort=eval.final.voc_emoji.map&order=desc")
            .bodyAsJsonObject();
    JsonObject byLoss = get("/sweeps/" + sweep + "/trials?sort=metrics.loss").bodyAsJsonObject();
    JsonObject done =
        get("/sweeps/" + sweep + "/trials?status=succeeded,failed&limit=2&offset=1")
            .bodyAsJsonObject();

    assertThat(ids(byMap))
        .containsExactly(trials.get(2), trials.get(1), trials.get(0), trials.get(3));
    // 0.25 < 1.5 < NaN (NaN orders above every number), and no loss at all last.
    assertThat(ids(byLoss))
        .containsExactly(trials.get(2), trials.get(0), trials.get(1), trials.get(3));
    assertThat(done.getLong("total")).isEqualTo(3);
    assertThat(ids(done)).containsExactly(trials.get(1), trials.get(2));
  }

  @Test
  @DisplayName("invalid query values are 400s naming the parameter; unknown sweeps 404s")
  void invalidQueriesName400s() throws Exception {
    String[][] cases = {
      {"/sweeps?limit=0", "limit"},
      {"/sweeps?offset=x", "offset"},
      {"/sweeps?status=done", "status"},
      {"/sweeps/" + sweep + "/trials?sort=color", "sort"},
      {"/sweeps/" + sweep + "/trials?order=up", "order"},
      {"/sweeps/" + sweep + "/trials?status=succeeded,lost", "status"},
      {"/trials/" + trials.get(0) + "/metrics?points=2", "points"},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> response = get(c[0]);
      assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("field")).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(get("/sweeps/999999/trials").statusCode()).isEqualTo(404);
    assertThat(get("/sweeps/999999/export.csv").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName(
      "the CSV export has a column per parameter, metric and evaluation, quoted by RFC 4180")
  void csvExportHasColumnsAndQuotes() throws Exception {
    HttpResponse<Buffer> response = get("/sweeps/" + sweep + "/export.csv");

    assertThat(response.getHeader("content-type")).startsWith("text/csv");
    assertThat(response.getHeader("content-disposition"))
        .isEqualTo("attachment; filename=\"sweep-" + sweep + ".csv\"");
    String[] lines = response.bodyAsString().split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "id,status,attempt,params.batch_size,params.note,params.objective,metrics.loss,"
                + "final.voc_emoji.map,untrained.voc_emoji.map");
    // The note a, "b" is quoted, its quotes doubled.
    assertThat(lines[1])
        .isEqualTo(trials.get(0) + ",succeeded,0,16,\"a, \"\"b\"\"\",,1.5,0.41,0.1");
    assertThat(lines[2]).isEqualTo(trials.get(1) + ",succeeded,0,128,,,NaN,0.52,");
    assertThat(lines[3]).isEqualTo(trials.get(2) + ",failed,0,8,,jsd,0.25,0.9,");
    assertThat(lines[4]).isEqualTo(trials.get(3) + ",queued,0,auto,,,,,");
    assertThat(lines).hasSize(5);
  }
}
