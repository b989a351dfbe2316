package dev.cliplab.worker.queue;

import static dev.cliplab.worker.queue.TestPools.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.worker.train.TinyRuns;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker verticle trains real trials of asha sweeps on the committed fixture: one whose rung 0
 * already holds a better result is pruned there, one that beats what its rung holds trains on.
 */
class AshaTrainingTest {

  // 231 training images in batches of 16: 14 steps per epoch, 42 for the three epochs.
  private static final JsonObject PARAMS =
      TinyRuns.params().put("epochs", 3).put("evaluations", new JsonArray());

  @TempDir static Path scratch;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    Path data = TinyRuns.copyFixture(scratch.resolve("data"));
    vertx = Vertx.vertx();
    pool = TestPools.create(vertx);
    WorkerOptions options = WorkerOptions.defaults("cpu", data, scratch.resolve("runs"));
    await(vertx.deployVerticle(new WorkerVerticle(pool, options)));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName(
      "a trial beaten at rung 0 ends pruned with rung 0 after one epoch; one that leads goes on")
  void prunesAtTheFirstRung() throws Exception {
    // eta 3, rung 0 after one epoch. Each sweep's rung 0 already holds two results, so a trial
    // arriving there is the third: one in three is promoted, the one no other result beats.
    long beaten = asha(-1.0, 1e9);
    long leading = asha(1e9, 1e9);

    Row pruned = waitUntilEnded(beaten);
    Row promoted = waitUntilEnded(leading);

    assertThat(pruned.getString("status")).isEqualTo("pruned");
    assertThat(pruned.getInteger("rung")).isZero();
    assertThat(pruned.getString("error")).isNull();
    assertThat(lastStep(beaten)).isEqualTo(14);
    assertThat(checkpointEpochs(beaten)).isEqualTo(JsonArray.of(1));
    assertThat(promoted.getString("status")).isEqualTo("succeeded");
    assertThat(promoted.getInteger("rung")).isZero();
    assertThat(lastStep(leading)).isEqualTo(42);
    assertThat(checkpointEpochs(leading)).isEqualTo(JsonArray.of(1, 2, 3));
    for (long trial : new long[] {beaten, leading}) {
      Row result =
          one(
              "SELECT a.value, a.promoted, a.competitors, m.value AS epoch_loss"
                  + " FROM asha_results a JOIN metrics m ON m.trial_id = a.trial_id"
                  + " AND m.name = 'epoch_loss' AND m.step = 14 WHERE a.trial_id = $1",
              trial);
      assertThat(result.getDouble("value")).isEqualTo(result.getDouble("epoch_loss"));
      assertThat(result.getBoolean("promoted")).isEqualTo(trial == leading);
      assertThat(result.getInteger("competitors")).isEqualTo(3);
    }
  }

  /**
   * Inserts an asha sweep whose rung 0 holds two finished trials' values, and one queued trial;
   * returns the queued trial's id.
   */
  private static long asha(double first, double second) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("search", "asha")
            .put("asha", new JsonObject().put("reduction_factor", 3).put("min_epochs", 1));
    long sweep =
        one(
                "INSERT INTO sweeps (name, spec, metric, goal)"
                    + " VALUES ('asha', $1, 'epoch_loss', 'minimize') RETURNING id",
                spec)
            .getLong("id");
    double[] earlier = {first, second};
    for (int i = 0; i < earlier.length; i++) {
      long done =
          one(
                  "INSERT INTO trials (sweep_id, params, params_hash, status, rung)"
                      + " VALUES ($1, $2, $3, 'succeeded', 0) RETURNING id",
                  sweep,
                  PARAMS.copy().put("seed", 10 + i),
                  "done" + i)
              .getLong("id");
      one(
          "INSERT INTO asha_results (sweep_id, trial_id, rung, value, promoted, competitors,"
              + " attempt) VALUES ($1, $2, 0, $3, $4, $5, 1) RETURNING trial_id",
          sweep,
          done,
          earlier[i],
          false,
          i + 1);
    }
    return one(
            "INSERT INTO trials (sweep_id, params, params_hash) VALUES ($1, $2, 'q') RETURNING id",
            sweep,
            PARAMS)
        .getLong("id");
  }

  private static Row waitUntilEnded(long trial) throws Exception {
    long deadline = System.currentTimeMillis() + 300_000;
    while (true) {
      Row row = one("SELECT status, rung, error FROM trials WHERE id = $1", trial);
      String status = row.getString("status");
      boolean ended = !"queued".equals(status) && !"running".equals(status);
      if (ended || System.currentTimeMillis() > deadline) {
        return row;
      }
      Thread.sleep(200);
    }
  }

  private static long lastStep(long trial) throws Exception {
    return one("SELECT max(step) AS s FROM metrics WHERE trial_id = $1", trial).getLong("s");
  }

  private static JsonArray checkpointEpochs(long trial) throws Exception {
    return new JsonArray(
        one(
                "SELECT json_agg(epoch ORDER BY epoch)::text AS e FROM checkpoints"
                    + " WHERE trial_id = $1",
                trial)
            .getString("e"));
  }

  private static Row one(String sql, Object... args) throws Exception {
    return await(pool.preparedQuery(sql).execute(Tuple.from(args))).iterator().next();
  }
}
