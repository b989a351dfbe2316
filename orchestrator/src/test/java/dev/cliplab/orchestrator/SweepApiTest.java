package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The REST API of an orchestrator without workers, against the real PostgreSQL. */
class SweepApiTest {

  private static Vertx vertx;
  private static WebClient client;
  private static String api;

  @BeforeAll
  static void start() throws Exception {
    TestDatabase db = TestDatabase.create();
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
}
