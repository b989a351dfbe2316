package dev.cliplab.orchestrator;

import dev.cliplab.worker.data.build.CorpusBuilder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * The demo: builds the corpus, starts the platform, submits the demo sweep over the REST API like
 * any client would, follows it to the end and prints every trial's metrics beside its untrained
 * model's.
 */
final class DemoRun implements Callable<Integer> {

  private static final long POLL_MS = 2_000;
  private static final long PROGRESS_EVERY_MS = 15_000;

  private final PlatformOptions options;
  private final boolean exitWhenDone;
  private final Path specFile;
  private WebClient client;
  private String api;

  DemoRun(PlatformOptions options, boolean exitWhenDone, Path specFile) {
    this.options = options;
    this.exitWhenDone = exitWhenDone;
    this.specFile = specFile;
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    System.out.println("[1/4] Demo corpus in " + options.dataRoot.toAbsolutePath());
    CorpusBuilder.build(options.dataRoot, options.downloads, System.out);

    System.out.println("[2/4] Starting the platform");
    Databases.ensureExists(options);
    Platform platform = Cliplab.startUntilShutdown(options, true);
    client = WebClient.create(platform.vertx());
    api = platform.apiAddress();

    System.out.println("[3/4] Submitting the demo sweep to " + api + "/sweeps");
    JsonObject created = await(post("/sweeps", loadSpec())).bodyAsJsonObject();
    long sweepId = created.getLong("id");
    System.out.printf("      sweep %d with %d trials%n", sweepId, created.getInteger("trials"));

    System.out.println("[4/4] Training and evaluating (one trial at a time on each device)");
    JsonObject sweep = follow(sweepId);
    ResultTable table = new ResultTable();
    for (Object t : sweep.getJsonArray("trials")) {
      long id = ((JsonObject) t).getLong("id");
      JsonObject trial = await(get("/trials/" + id)).bodyAsJsonObject();
      JsonObject history = await(get("/trials/" + id + "/metrics?name=loss")).bodyAsJsonObject();
      table.add(trial, history.getJsonObject("series").getJsonArray("loss", new JsonArray()));
    }
    System.out.println();
    table.print(System.out);
    System.out.printf(
        "%nDemo sweep %d finished in %.1f min. Every metric above its untrained model: %s%n",
        sweepId, (System.nanoTime() - start) / 6e10, table.allBeatUntrained() ? "yes" : "NO");
    System.out.println("API: " + api + "  (try " + api + "/sweeps/" + sweepId + ")");
    int status = table.allBeatUntrained() ? 0 : 1;
    if (exitWhenDone) {
      return status;
    }
    System.out.println("The platform keeps serving; Ctrl-C stops it.");
    new CountDownLatch(1).await();
    return status;
  }

  private JsonObject loadSpec() throws IOException {
    if (specFile != null) {
      return new JsonObject(Files.readString(specFile));
    }
    try (InputStream in = DemoRun.class.getResourceAsStream("demo-sweep.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Polls the sweep until no trial is queued or running, printing each change of state. */
  private JsonObject follow(long sweepId) throws Exception {
    Map<Long, String> seen = new HashMap<>();
    long lastProgress = System.currentTimeMillis();
    while (true) {
      JsonObject sweep = await(get("/sweeps/" + sweepId)).bodyAsJsonObject();
      for (Object t : sweep.getJsonArray("trials")) {
        JsonObject trial = (JsonObject) t;
        String status = trial.getString("status");
        if (!status.equals(seen.put(trial.getLong("id"), status))) {
          System.out.printf(
              "      trial %d %s %s%s%n",
              trial.getLong("id"),
              trial.getJsonObject("params").encode(),
              status,
              trial.getString("error") == null ? "" : ": " + trial.getString("error"));
        }
      }
      if ("finished".equals(sweep.getString("status"))) {
        return sweep;
      }
      if (System.currentTimeMillis() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = System.currentTimeMillis();
        printProgress(sweep);
      }
      Thread.sleep(POLL_MS);
    }
  }

  private void printProgress(JsonObject sweep) throws Exception {
    for (Object t : sweep.getJsonArray("trials")) {
      JsonObject trial = (JsonObject) t;
      if (!"running".equals(trial.getString("status"))) {
        continue;
      }
      JsonObject detail = await(get("/trials/" + trial.getLong("id"))).bodyAsJsonObject();
      JsonObject latest = detail.getJsonObject("latest_metrics");
      StringBuilder line = new StringBuilder("      trial " + trial.getLong("id") + " running:");
      for (String name : new String[] {"loss", "mi_estimate", "temperature", "images_per_sec"}) {
        JsonObject m = latest.getJsonObject(name);
        if (m != null) {
          line.append(
              String.format(
                  " %s=%s",
                  name,
                  m.getValue("value") instanceof Number n
                      ? String.format("%.4g", n.doubleValue())
                      : m.getValue("value")));
          line.append(name.equals("loss") ? " (step " + m.getLong("step") + ")" : "");
        }
      }
      System.out.println(line);
    }
  }

  private Future<HttpResponse<Buffer>> get(String path) {
    return client.getAbs(api + path).send().compose(DemoRun::expectOk);
  }

  private Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
    return client.postAbs(api + path).sendJsonObject(body).compose(DemoRun::expectOk);
  }

  private static Future<HttpResponse<Buffer>> expectOk(HttpResponse<Buffer> response) {
    if (response.statusCode() >= 400) {
      return Future.failedFuture(
          new IllegalStateException(
              "the API answered " + response.statusCode() + ": " + response.bodyAsString()));
    }
    return Future.succeededFuture(response);
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
