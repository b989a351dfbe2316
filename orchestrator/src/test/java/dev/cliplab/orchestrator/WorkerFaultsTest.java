package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on real parts: a worker process killed mid-trial, and a running trial cancelled and
 * retried. Trials train a tiny model on the committed fixture for thirty short epochs, so that
 * there is a checkpoint to resume from well before the end even on a fast machine, where the kill
 * or the cancel would otherwise race the run's end; training metrics are recorded every 10 steps
 * and at the last.
 */
class WorkerFaultsTest {
  private static final int EPOCHS = 30;

  /** 231 training images in batches of 32 make 7 steps an epoch. */
  private static final long LAST_STEP = EPOCHS * 7;

  private static final JsonObject PARAMS =
      new JsonObject(
          """
          {"epochs": %d, "batch_size": 32, "image_size": 32, "image_width": 8, "embed_dim": 32,
           "text_hidden": 32, "text_layers": 1, "warmup_steps": 2, "checkpoint_every": 0,
           "evaluations": []}"""
              .formatted(EPOCHS));

  @TempDir static Path work;
  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool pool;
  private static Path data;

  @BeforeAll
  static void start() throws Exception {
    data = PlatformTestSupport.copyFixture(work.resolve("data"));
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool =
        PgBuilder.pool()
            .connectingTo(
                new PgConnectOptions()
                    .setHost(db.host())
                    .setPort(db.port())
                    .setDatabase(db.name())
                    .setUser(db.user()))
            .using(vertx)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName(
      "a killed worker process's trial is resumed by another worker from its checkpoint as attempt 2")
  void killedWorkersTrialResumesElsewhere() throws Exception {
    long trial = insertTrial("killed", PARAMS);
    Path log = work.resolve("child-worker.log");
    Process child = startChildWorker(log);
    Platform platform = null;
    try {
      waitUntil(() -> checkpointOf(trial, 1).isPresent(), 180, log);
      child.destroyForcibly().waitFor();
      long resumeFrom = newestCheckpointStep(trialDir(trial));
      long recordedByFirst = maxStep(trial, 1);

      platform = await(Platform.start(Vertx.vertx(), platformOptions()));
      waitUntil(() -> "succeeded".equals(trialRow(trial).getString("status")), 180, log);

      Row done = trialRow(trial);
      assertThat(done.getInteger("attempt")).isEqualTo(2);
      assertThat(checkpointOf(trial, EPOCHS)).contains(LAST_STEP);
      assertThat(resumeFrom).isPositive().isLessThan(LAST_STEP);
      assertResumedAfter(trial, resumeFrom);
      // The killed process got no further than the run's end.
      assertThat(recordedByFirst).isLessThanOrEqualTo(LAST_STEP);
    } finally {
      child.destroyForcibly();
      if (platform != null) {
        await(platform.stop());
      }
    }
  }

  @Test
  @DisplayName(
      "a running trial cancelled over REST stops at its next step; a retry resumes it to success")
  void cancelledTrialStopsAndRetryResumesIt() throws Exception {
    Platform platform = await(Platform.start(Vertx.vertx(), platformOptions()));
    WebClient client = WebClient.create(platform.vertx());
    String api = platform.apiAddress();
    try {
      long trial = insertTrial("cancelled", PARAMS);
      waitUntil(() -> maxStep(trial, 1) >= 10, 180, null);

      HttpResponse<Buffer> cancelled =
          await(client.postAbs(api + "/trials/" + trial + "/cancel").send());
      waitUntil(() -> idleWorkers(api, client) == 1, 180, null);
      Row stopped = trialRow(trial);
      long resumeFrom = newestCheckpointStep(trialDir(trial));
      long stoppedAt = maxStep(trial, 1);

      assertThat(cancelled.statusCode()).isEqualTo(200);
      assertThat(cancelled.bodyAsJsonObject().getString("previous_status")).isEqualTo("running");
      // The worker's own end of the run was refused: the trial stays as the request left it.
      assertThat(stopped.getString("status")).isEqualTo("cancelled");
      assertThat(stopped.getString("error")).isEqualTo("cancelled on request");
      assertThat(checkpointOf(trial, EPOCHS)).isEmpty();
      // It stopped where it was, at or after its last recorded step, and wrote a checkpoint there.
      assertThat(resumeFrom).isGreaterThanOrEqualTo(stoppedAt).isLessThan(LAST_STEP);

      HttpResponse<Buffer> retried =
          await(client.postAbs(api + "/trials/" + trial + "/retry").send());
      assertThat(retried.statusCode()).isEqualTo(200);
      waitUntil(() -> "succeeded".equals(trialRow(trial).getString("status")), 180, null);

      assertThat(trialRow(trial).getInteger("attempt")).isEqualTo(2);
      assertResumedAfter(trial, resumeFrom);
    } finally {
      await(platform.stop());
    }
  }

  /**
   * The trial's loss was recorded at steps 10, 20, ... and the last, each once; those up to the
   * checkpoint by attempt 1, every later one by attempt 2, which therefore began after it.
   */
  private static void assertResumedAfter(long trial, long checkpointStep) throws Exception {
    List<Long> expectedSteps = new ArrayList<>();
    List<Integer> expectedAttempts = new ArrayList<>();
    for (long step = 10; step < LAST_STEP + 10; step += 10) {
      long at = Math.min(step, LAST_STEP);
      expectedSteps.add(at);
      expectedAttempts.add(at <= checkpointStep ? 1 : 2);
    }
    List<Long> steps = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    for (long[] s : lossSteps(trial)) {
      steps.add(s[0]);
      attempts.add((int) s[1]);
    }
    assertThat(steps).isEqualTo(expectedSteps);
    assertThat(attempts).as("attempt of each of the steps %s", steps).isEqualTo(expectedAttempts);
  }

  private static int idleWorkers(String api, WebClient client) throws Exception {
    JsonObject page = await(client.getAbs(api + "/workers?status=idle").send()).bodyAsJsonObject();
    return page.getInteger("total");
  }

  /** A CPU worker on the fixture with a 2 s lease, as both platforms here run it. */
  private static List<String> workerFlags() {
    return List.of(
        "--devices",
        "cpu",
        "--data",
        data.toString(),
        "--work-dir",
        work.resolve("runs").toString(),
        "--lease-seconds",
        "2");
  }

  private static PlatformOptions platformOptions() {
    return PlatformTestSupport.options(db, workerFlags().toArray(new String[0]));
  }

  /** {@code cliplab worker} in a JVM of its own, on the test's classpath and database. */
  private static Process startChildWorker(Path log) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Cliplab.class.getName(),
                "worker",
                "--pg-host",
                db.host(),
                "--pg-port",
                String.valueOf(db.port()),
                "--pg-user",
                db.user(),
                "--pg-database",
                db.name()));
    command.addAll(workerFlags());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("CLIPLAB_LOG_LEVEL", "INFO");
    return builder.start();
  }

  private static long insertTrial(String name, JsonObject params) throws Exception {
    long sweep =
        await(
                pool.preparedQuery("INSERT INTO sweeps (name, spec) VALUES ($1, '{}') RETURNING id")
                    .execute(Tuple.of(name)))
            .iterator()
            .next()
            .getLong("id");
    return await(
            pool.preparedQuery(
                    "INSERT INTO trials (sweep_id, params, params_hash) VALUES ($1, $2, 'p')"
                        + " RETURNING id")
                .execute(Tuple.of(sweep, params)))
        .iterator()
        .next()
        .getLong("id");
  }

  private static Path trialDir(long trial) {
    return work.resolve("runs")
        .toAbsolutePath()
        .resolve(db.host() + "-" + db.port() + "-" + db.name())
        .resolve("trial-" + trial);
  }

  /** The step of the newest complete checkpoint in a trial's folder, read from its state file. */
  private static long newestCheckpointStep(Path trialDir) throws IOException {
    try (Stream<Path> dirs = Files.list(trialDir.resolve("checkpoints"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("state.json")))
          .mapToLong(d -> readStep(d.resolve("state.json")))
          .max()
          .orElseThrow();
    }
  }

  private static long readStep(Path state) {
    try {
      return new JsonObject(Files.readString(state)).getLong("step");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Optional<Long> checkpointOf(long trial, int epoch) throws Exception {
    var rows =
        await(
            pool.preparedQuery("SELECT step FROM checkpoints WHERE trial_id = $1 AND epoch = $2")
                .execute(Tuple.of(trial, epoch)));
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next().getLong("step"));
  }

  private static Row trialRow(long trial) throws Exception {
    return await(
            pool.preparedQuery("SELECT status, attempt, error FROM trials WHERE id = $1")
                .execute(Tuple.of(trial)))
        .iterator()
        .next();
  }

  private static long maxStep(long trial, int attempt) throws Exception {
    return await(
            pool.preparedQuery(
                    "SELECT coalesce(max(step), 0) AS s FROM metrics"
                        + " WHERE trial_id = $1 AND name = 'loss' AND attempt = $2")
                .execute(Tuple.of(trial, attempt)))
        .iterator()
        .next()
        .getLong("s");
  }

  /** The trial's recorded loss steps in order, each as {step, attempt}. */
  private static List<long[]> lossSteps(long trial) throws Exception {
    List<long[]> out = new ArrayList<>();
    for (Row row :
        await(
            pool.preparedQuery(
                    "SELECT step, attempt FROM metrics WHERE trial_id = $1 AND name = 'loss'"
                        + " ORDER BY step")
                .execute(Tuple.of(trial)))) {
      out.add(new long[] {row.getLong("step"), row.getInteger("attempt")});
    }
    return out;
  }

  private interface Check {
    boolean done() throws Exception;
  }

  private static void waitUntil(Check check, int seconds, Path log) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!check.done()) {
      if (System.currentTimeMillis() > deadline) {
        String output = log != null && Files.exists(log) ? Files.readString(log) : "";
        throw new AssertionError("gave up after " + seconds + " s\n" + output);
      }
      Thread.sleep(100);
    }
  }
}
