package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import dev.cliplab.orchestrator.sweep.SpecValidator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The REST API of an orchestrator without workers, against the real PostgreSQL. */
class SweepApiTest {

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
  @DisplayName("POST /api/sweeps queues one trial per grid point and GET shows them queued")
  void createdSweepListsItsQueuedTrials() throws Exception {
    JsonObject spec =
        new JsonObject(
            """
            {"name": "api", "parameters": {"objective": ["jsd", "infonce"], "batch_size": [16, 32]},
             "fixed": {"epochs": 1}}""");

    HttpResponse<Buffer> created = await(client.postAbs(api + "/sweeps").sendJsonObject(spec));
    long id = created.bodyAsJsonObject().getLong("id");
    JsonObject sweep = await(client.getAbs(api + "/sweeps/" + id).send()).bodyAsJsonObject();

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("location")).isEqualTo("/api/sweeps/" + id);
    assertThat(created.bodyAsJsonObject().getInteger("trials")).isEqualTo(4);
    assertThat(sweep.getString("name")).isEqualTo("api");
    assertThat(sweep.getJsonObject("counts")).isEqualTo(new JsonObject().put("queued", 4));
    JsonArray trials = sweep.getJsonArray("trials");
    assertThat(trials).hasSize(4);
    JsonObject first = trials.getJsonObject(0);
    assertThat(first.getJsonObject("params"))
        .isEqualTo(new JsonObject("{\"epochs\":1,\"objective\":\"jsd\",\"batch_size\":16}"));

    long trialId = first.getLong("id");
    JsonObject trial = await(client.getAbs(api + "/trials/" + trialId).send()).bodyAsJsonObject();
    JsonObject metrics =
        await(client.getAbs(api + "/trials/" + trialId + "/metrics").send()).bodyAsJsonObject();
    assertThat(trial.getString("status")).isEqualTo("queued");
    assertThat(trial.getJsonObject("latest_metrics")).isEmpty();
    assertThat(trial.getJsonObject("evaluations")).isEmpty();
    assertThat(metrics.getJsonObject("series")).isEmpty();
  }

  @Test
  @DisplayName("a malformed spec is a 400 whose body names the field")
  void malformedSpecIsA400NamingTheField() throws Exception {
    JsonObject spec =
        new JsonObject("{\"name\": \"bad\", \"parameters\": {\"batch_size\": [32, -4]}}");

    HttpResponse<Buffer> response = await(client.postAbs(api + "/sweeps").sendJsonObject(spec));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo("invalid sweep spec");
    assertThat(body.getString("field")).isEqualTo("parameters.batch_size[1]");
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("a body that is not JSON is a 400, not a 500")
  void nonJsonBodyIsA400() throws Exception {
    HttpResponse<Buffer> response =
        await(client.postAbs(api + "/sweeps").sendBuffer(Buffer.buffer("{not json")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("not valid JSON");
    for (String notAnObject : new String[] {"[1, 2]", "\"spec\"", "42", "null", ""}) {
      HttpResponse<Buffer> answer =
          await(client.postAbs(api + "/sweeps").sendBuffer(Buffer.buffer(notAnObject)));
      assertThat(answer.statusCode()).as(notAnObject).isEqualTo(400);
      assertThat(answer.bodyAsJsonObject().getString("error")).contains("must be a JSON object");
    }
  }

  @Test
  @DisplayName(
      "the published sweep-spec schema is plain JSON Schema, without validator annotations")
  void schemaIsServedClean() throws Exception {
    JsonObject schema = await(client.getAbs(api + "/schemas/sweep-spec").send()).bodyAsJsonObject();

    assertThat(schema.getString("$schema"))
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.encode()).doesNotContain("__absolute_uri__");
    assertThat(
            schema
                .getJsonObject("properties")
                .getJsonObject("parameters")
                .getJsonObject("properties")
                .fieldNames())
        .contains("objective", "batch_size", "text_heads");
    assertThat(schema.getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrder(
            "name",
            "description",
            "search",
            "max_trials",
            "seed",
            "parameters",
            "fixed",
            "metric",
            "max_concurrent",
            "priority",
            "max_attempts",
            "baselines",
            "asha");
    JsonObject batchSize =
        schema
            .getJsonObject("properties")
            .getJsonObject("parameters")
            .getJsonObject("properties")
            .getJsonObject("batch_size");
    JsonObject range = batchSize.getJsonObject("else").getJsonObject("else");
    assertThat(range.getJsonArray("required")).containsExactly("min", "max", "step");
    assertThat(range.getJsonObject("properties").getJsonObject("min"))
        .isEqualTo(new JsonObject("{\"type\": \"integer\", \"minimum\": 2, \"maximum\": 65536}"));
  }

  @Test
  @DisplayName("unknown sweeps and trials are 404s and a non-numeric id is a 400")
  void missingThingsAre404s() throws Exception {
    assertThat(await(client.getAbs(api + "/sweeps/999999").send()).statusCode()).isEqualTo(404);
    assertThat(await(client.getAbs(api + "/trials/999999").send()).statusCode()).isEqualTo(404);
    assertThat(await(client.getAbs(api + "/trials/999999/metrics").send()).statusCode())
        .isEqualTo(404);
    HttpResponse<Buffer> bad = await(client.getAbs(api + "/sweeps/abc").send());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("field")).isEqualTo("id");
  }

  @Test
  @DisplayName("the same value twice in one list is refused, whatever its spelling")
  void duplicatePointsCollapse() throws Exception {
    JsonObject spec =
        new JsonObject("{\"name\": \"dup\", \"parameters\": {\"learning_rate\": [0.5, 0.50]}}");

    HttpResponse<Buffer> response = await(client.postAbs(api + "/sweeps").sendJsonObject(spec));

    // JSON Schema's uniqueItems compares numbers by value, so 0.5 and 0.50 are one value.
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("field"))
        .isEqualTo("parameters.learning_rate");
  }

  @Test
  @DisplayName("a YAML spec with a range and a distribution is queued as its JSON twin would be")
  void yamlSpecIsQueued() throws Exception {
    String yaml =
        """
        name: yaml sweep
        search: random
        max_trials: 4
        seed: 3
        parameters:
          objective: [jsd, infonce]
          batch_size: {min: 16, max: 64, step: 16}
          learning_rate: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}
        fixed: {epochs: 1}
        metric: {name: final.zeroshot_emoji_groups.top1, goal: maximize}
        max_concurrent: 2
        priority: 5
        """;
    JsonObject twin =
        new JsonObject(
            """
            {"name": "yaml sweep", "search": "random", "max_trials": 4, "seed": 3,
             "parameters": {"objective": ["jsd", "infonce"],
               "batch_size": {"min": 16, "max": 64, "step": 16},
               "learning_rate": {"distribution": "log_uniform", "min": 1.0e-4, "max": 1.0e-2}},
             "fixed": {"epochs": 1},
             "metric": {"name": "final.zeroshot_emoji_groups.top1", "goal": "maximize"},
             "max_concurrent": 2, "priority": 5}""");

    HttpResponse<Buffer> created =
        await(
            client
                .postAbs(api + "/sweeps")
                .putHeader("content-type", "application/yaml")
                .sendBuffer(Buffer.buffer(yaml)));
    long id = created.bodyAsJsonObject().getLong("id");
    JsonObject sweep = await(client.getAbs(api + "/sweeps/" + id).send()).bodyAsJsonObject();

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getInteger("trials")).isEqualTo(4);
    assertThat(sweep.getJsonObject("spec")).isEqualTo(twin);
    List<JsonObject> params = new ArrayList<>();
    sweep.getJsonArray("trials").forEach(t -> params.add(((JsonObject) t).getJsonObject("params")));
    assertThat(params).isEqualTo(SpecValidator.create().validate(twin).expand());
    assertThat(
            row(
                "SELECT status, priority, max_concurrent, metric, goal FROM sweeps WHERE id = ?",
                id))
        .containsExactly("active", "5", "2", "final.zeroshot_emoji_groups.top1", "maximize");
    assertThat(row("SELECT DISTINCT priority FROM trials WHERE sweep_id = ?", id))
        .containsExactly("5");
  }

  @Test
  @DisplayName("a YAML syntax error is a 400 that names its line and column")
  void yamlSyntaxErrorNamesLineAndColumn() throws Exception {
    String yaml = "name: broken\nparameters:\n  objective: jsd: infonce\n";

    HttpResponse<Buffer> response =
        await(
            client
                .postAbs(api + "/sweeps")
                .putHeader("content-type", "text/yaml; charset=utf-8")
                .sendBuffer(Buffer.buffer(yaml)));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo("the request body is not valid YAML");
    // The second colon on line 3 is its 17th character.
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("message"))
        .startsWith("line 3, column 17: mapping values are not allowed here");
  }

  @Test
  @DisplayName("a dry run counts the trials and baselines a spec would queue, and stores nothing")
  void dryRunStoresNothing() throws Exception {
    JsonObject spec =
        new JsonObject(
            """
            {"name": "dry", "baselines": true, "parameters": {"batch_size": [16, 32]},
             "fixed": {"objective": "jsd", "epochs": 2, "image_size": 24}}""");
    String sweepsBefore = row("SELECT count(*) FROM sweeps").get(0);

    HttpResponse<Buffer> dry =
        await(client.postAbs(api + "/sweeps?dry_run=true").sendJsonObject(spec));
    String sweepsAfter = row("SELECT count(*) FROM sweeps").get(0);
    HttpResponse<Buffer> real = await(client.postAbs(api + "/sweeps").sendJsonObject(spec));

    assertThat(dry.statusCode()).isEqualTo(200);
    // Two jsd points, and for each its infonce baseline with all negatives.
    assertThat(dry.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("trials", 4).put("baselines", 2).put("valid", true));
    assertThat(sweepsAfter).isEqualTo(sweepsBefore);
    assertThat(real.bodyAsJsonObject().getInteger("trials")).isEqualTo(4);
    assertThat(real.bodyAsJsonObject().getInteger("baselines_queued")).isEqualTo(2);
  }

  @Test
  @DisplayName("a dry run of an invalid spec is the same 400 as a submission")
  void dryRunOfAnInvalidSpecIsA400() throws Exception {
    JsonObject spec =
        new JsonObject(
            "{\"name\": \"x\", \"search\": \"random\", \"parameters\": {\"seed\": [1]}}");

    HttpResponse<Buffer> dry =
        await(client.postAbs(api + "/sweeps?dry_run=true").sendJsonObject(spec));

    assertThat(dry.statusCode()).isEqualTo(400);
    assertThat(dry.bodyAsJsonObject().getString("field")).isEqualTo("max_trials");
  }

  @Test
  @DisplayName("a misspelt dry run is a 400 naming dry_run, and creates nothing")
  void misspeltDryRunIsRefused() throws Exception {
    JsonObject spec =
        new JsonObject("{\"name\": \"typo\", \"parameters\": {\"batch_size\": [16]}}");
    String sweepsBefore = row("SELECT count(*) FROM sweeps").get(0);

    HttpResponse<Buffer> maybe =
        await(client.postAbs(api + "/sweeps?dry_run=maybe").sendJsonObject(spec));

    assertThat(maybe.statusCode()).isEqualTo(400);
    assertThat(maybe.bodyAsJsonObject().getString("field")).isEqualTo("dry_run");
    assertThat(row("SELECT count(*) FROM sweeps").get(0)).isEqualTo(sweepsBefore);
  }

  @Test
  @DisplayName("a sweep's spec reads back with its parameters in the order they were written")
  void specKeepsItsKeyOrder() throws Exception {
    String written =
        "{\"name\": \"order\", \"parameters\": {\"learning_rate\": [0.001, 0.01],"
            + " \"text_heads\": [1, 2]}}";
    long id =
        await(client.postAbs(api + "/sweeps").sendJsonObject(new JsonObject(written)))
            .bodyAsJsonObject()
            .getLong("id");

    JsonObject sweep = await(client.getAbs(api + "/sweeps/" + id).send()).bodyAsJsonObject();

    assertThat(sweep.getJsonObject("spec").getJsonObject("parameters").fieldNames())
        .containsExactly("learning_rate", "text_heads");
  }

  /** The columns of the one row a query returns, as text. */
  private static List<String> row(String sql, Object... parameters) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
        PreparedStatement query = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).as(sql).isTrue();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          columns.add(rows.getString(i));
        }
        assertThat(rows.next()).as(sql + " returns one row").isFalse();
        return columns;
      }
    }
  }
}
