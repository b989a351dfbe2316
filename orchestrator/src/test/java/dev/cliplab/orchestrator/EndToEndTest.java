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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real parts: a sweep submitted over REST is queued in PostgreSQL, trained by an
 * in-process CPU worker with DJL on the committed fixture, evaluated, and read back over REST.
 */
class EndToEndTest {

  @TempDir static Path work;
  private static Vertx vertx;
  private static WebClient client;
  private static String api;

  @BeforeAll
  static void start() throws Exception {
    Path data = PlatformTestSupport.copyFixture(work.resolve("data"));
    TestDatabase db = TestDatabase.create();
    vertx = Vertx.vertx();
    PlatformOptions options =
        PlatformTestSupport.options(
            db,
            "--devices",
            "cpu",
            "--data",
            data.toString(),
            "--work-dir",
            work.resolve("runs").toString());
    Platform platform = await(Platform.start(vertx, options));
    client = WebClient.create(vertx);
    api = platform.apiAddress();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("a jsd and an infonce trial both train, record metrics, checkpoints and evaluations")
  void sweepRunsEndToEnd() throws Exception {
    JsonObject spec =
        new JsonObject(
            """
            {"name": "e2e", "parameters": {"objective": ["jsd", "infonce"]},
             "fixed": {"epochs": 2, "batch_size": 32, "image_size": 32, "image_width": 8,
                       "embed_dim": 32, "text_hidden": 32, "text_layers": 1, "warmup_steps": 2}}""");
    long id =
        await(client.postAbs(api + "/sweeps").sendJsonObject(spec))
            .bodyAsJsonObject()
            .getLong("id");

    JsonObject sweep = waitUntilFinished(id, 240);

    assertThat(sweep.getJsonObject("counts")).isEqualTo(new JsonObject().put("succeeded", 2));
    for (Object t : sweep.getJsonArray("trials")) {
      long trialId = ((JsonObject) t).getLong("id");
      JsonObject trial = await(client.getAbs(api + "/trials/" + trialId).send()).bodyAsJsonObject();
      assertThat(trial.getInteger("attempt")).isEqualTo(1);
      // The bundled libtorch is the CPU build of PyTorch 2.7.1, and the worker ran on the CPU.
      JsonObject runtime = trial.getJsonObject("runtime");
      assertThat(runtime.getString("version")).isEqualTo("2.7.1");
      assertThat(runtime.getString("flavor")).isEqualTo("cpu");
      assertThat(runtime.getString("device")).isEqualTo("cpu");
      assertThat(runtime.getString("worker")).endsWith("/cpu");
      assertThat(trial.getJsonObject("latest_metrics").fieldNames())
          .contains("loss", "mi_estimate", "temperature", "learning_rate", "images_per_sec");
      JsonObject evaluations = trial.getJsonObject("evaluations");
      for (String phase : new String[] {"untrained", "final"}) {
        assertThat(
                evaluations
                    .getJsonObject(phase)
                    .getJsonObject("zeroshot_emoji_groups")
                    .fieldNames())
            .contains("top1");
        assertThat(evaluations.getJsonObject(phase).getJsonObject("retrieval_heldout").fieldNames())
            .contains("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10");
      }
      assertThat(trial.getJsonArray("evaluation_details"))
          .isEqualTo(new JsonArray().add("final").add("untrained"));
      showsARetrievalGallery(trialId);
      JsonArray checkpoints = trial.getJsonArray("checkpoints");
      assertThat(checkpoints).hasSize(2);
      assertThat(Path.of(checkpoints.getJsonObject(1).getString("path"))).exists();
      JsonArray loss =
          await(client.getAbs(api + "/trials/" + trialId + "/metrics?name=loss").send())
              .bodyAsJsonObject()
              .getJsonObject("series")
              .getJsonArray("loss");
      long lastStep = trial.getJsonObject("latest_metrics").getJsonObject("loss").getLong("step");
      assertThat(loss.getJsonArray(loss.size() - 1).getLong(0)).isEqualTo(lastStep);
    }
    rescoresAStoredCheckpoint(sweep.getJsonArray("trials").getJsonObject(0).getLong("id"), id);
  }

  /**
   * The final evaluation's gallery shows twelve held-out images spread over the set, each with its
   * five best captions, flags exactly the image's own captions, and serves the images themselves.
   */
  private static void showsARetrievalGallery(long trialId) throws Exception {
    JsonObject report =
        await(client.getAbs(api + "/trials/" + trialId + "/evaluations/final").send())
            .bodyAsJsonObject()
            .getJsonObject("report");
    JsonArray gallery =
        report.getJsonObject("retrieval_heldout").getJsonObject("details").getJsonArray("gallery");
    JsonObject annotations =
        new JsonObject(
            Files.readString(
                PlatformTestSupport.FIXTURE.resolve("heldout/annotations/captions_heldout.json")));
    JsonArray images = annotations.getJsonArray("images");
    assertThat(gallery).hasSize(12);
    for (int k = 0; k < gallery.size(); k++) {
      JsonObject shown = gallery.getJsonObject(k);
      // Image k of twelve is the held-out image at index k * n / 12, in the file's order.
      JsonObject expected = images.getJsonObject(k * images.size() / 12);
      assertThat(shown.getLong("image_id")).isEqualTo(expected.getLong("id"));
      Set<String> own = new HashSet<>();
      for (Object a : annotations.getJsonArray("annotations")) {
        if (((JsonObject) a).getLong("image_id").equals(expected.getLong("id"))) {
          own.add(((JsonObject) a).getString("caption"));
        }
      }
      JsonArray top = shown.getJsonArray("top");
      assertThat(top).hasSize(5);
      for (Object c : top) {
        JsonObject caption = (JsonObject) c;
        if (caption.getBoolean("own")) {
          assertThat(own).contains(caption.getString("caption"));
        }
      }
    }
    HttpResponse<Buffer> picture =
        await(
            client
                .getAbs(
                    api
                        + "/corpus/heldout/images/"
                        + gallery.getJsonObject(0).getString("file_name"))
                .send());
    assertThat(picture.statusCode()).isEqualTo(200);
    assertThat(picture.getHeader("content-type")).isEqualTo("image/png");
    assertThat(picture.body().length())
        .isEqualTo(
            Files.size(
                PlatformTestSupport.FIXTURE
                    .resolve("heldout/images")
                    .resolve(gallery.getJsonObject(0).getString("file_name"))));
    HttpResponse<Buffer> outside =
        await(client.getAbs(api + "/corpus/heldout/images/..%2F..%2Fmanifest.json").send());
    assertThat(outside.statusCode()).isIn(400, 404);
    HttpResponse<Buffer> missing =
        await(client.getAbs(api + "/trials/" + trialId + "/evaluations/epoch-7").send());
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  /**
   * An evaluation job on the trial's last checkpoint, through the queue, gives exactly the numbers
   * its final evaluation gave: the same weights, features and protocols.
   */
  private static void rescoresAStoredCheckpoint(long trialId, long sweepId) throws Exception {
    String url = api + "/trials/" + trialId + "/evaluations";
    JsonObject wrong = new JsonObject().put("tasks", new JsonArray().add("imagenet"));
    HttpResponse<Buffer> refused = await(client.postAbs(url).sendJsonObject(wrong));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("tasks[0]");

    JsonObject job =
        new JsonObject()
            .put("tasks", new JsonArray().add("retrieval_heldout").add("zeroshot_emoji_groups"))
            .put("epoch", 2);
    HttpResponse<Buffer> queued = await(client.postAbs(url).sendJsonObject(job));
    assertThat(queued.statusCode()).isEqualTo(202);
    assertThat(await(client.postAbs(url).sendJsonObject(job)).statusCode()).isEqualTo(409);
    JsonObject missing = job.copy().put("epoch", 99);
    HttpResponse<Buffer> noCheckpoint = await(client.postAbs(url).sendJsonObject(missing));
    assertThat(noCheckpoint.statusCode()).isEqualTo(409);
    assertThat(noCheckpoint.bodyAsJsonObject().getString("error")).contains("epochs [1, 2]");
    JsonObject twice =
        new JsonObject().put("tasks", new JsonArray().add("voc_emoji").add("voc_emoji"));
    assertThat(await(client.postAbs(url).sendJsonObject(twice)).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> unknown =
        await(client.postAbs(api + "/trials/999999/evaluations").sendJsonObject(job));
    assertThat(unknown.statusCode()).isEqualTo(404);
    long jobId = queued.bodyAsJsonObject().getLong("trial_id");
    waitUntilFinished(sweepId, 240);
    JsonObject done = await(client.getAbs(api + "/trials/" + jobId).send()).bodyAsJsonObject();
    assertThat(done.getString("status")).isEqualTo("succeeded");

    JsonObject evaluations =
        await(client.getAbs(api + "/trials/" + trialId).send())
            .bodyAsJsonObject()
            .getJsonObject("evaluations");
    for (String task : new String[] {"retrieval_heldout", "zeroshot_emoji_groups"}) {
      assertThat(evaluations.getJsonObject("epoch-2").getJsonObject(task))
          .as(task)
          .isEqualTo(evaluations.getJsonObject("final").getJsonObject(task));
    }
  }

  private static JsonObject waitUntilFinished(long id, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (true) {
      JsonObject sweep = await(client.getAbs(api + "/sweeps/" + id).send()).bodyAsJsonObject();
      if ("finished".equals(sweep.getString("status")) || System.currentTimeMillis() > deadline) {
        return sweep;
      }
      Thread.sleep(500);
    }
  }
}
