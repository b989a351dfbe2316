package dev.cliplab.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker registry: a real worker verticle on the CPU registers itself, wakes on notifications
 * and quarantines itself after failures; its row's bookkeeping is pinned statement by statement.
 * Trials fail here for a real reason: the worker's data folder holds no corpus.
 */
class WorkerRegistryTest {

  private static Vertx vertx;
  private static Pool pool;
  private static PgConnectOptions connect;

  @TempDir static Path work;

  @BeforeAll
  static void connect() {
    TestDatabase db = TestDatabase.create();
    vertx = Vertx.vertx();
    connect =
        new PgConnectOptions()
            .setHost(db.host())
            .setPort(db.port())
            .setDatabase(db.name())
            .setUser(db.user());
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(4))
            .connectingTo(connect)
            .using(vertx)
            .build();
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void empty() throws Exception {
    await(pool.query("TRUNCATE sweeps, workers CASCADE").execute());
  }

  @Test
  @DisplayName(
      "failures in a row quarantine a worker; a success resets the count, diverged keeps it")
  void failuresInARowQuarantine() throws Exception {
    long trial = insertTrials(1).get(0);
    WorkerRegistry registry = new WorkerRegistry(pool, "w1");
    await(registry.register("host", "cpu", new JsonObject().put("flavor", "cpu"), 1000));

    String[] ends = {"failed", "failed", "succeeded", "failed", "diverged", "failed"};
    int[] counts = {1, 2, 0, 1, 1, 2};
    for (int i = 0; i < ends.length; i++) {
      assertThat(await(registry.busyWith(trial))).isTrue();
      assertThat(await(registry.trialEnded(ends[i], 3, "why"))).contains("idle");
      assertThat(row("w1").getInteger("consecutive_failures")).as(ends[i]).isEqualTo(counts[i]);
    }
    assertThat(await(registry.busyWith(trial))).isTrue();
    Optional<String> third = await(registry.trialEnded("failed", 3, "three in a row"));

    assertThat(third).contains("quarantined");
    Row quarantined = row("w1");
    assertThat(quarantined.getString("quarantine_reason")).isEqualTo("three in a row");
    assertThat(quarantined.getLong("current_trial_id")).isNull();
    // A quarantined worker cannot be marked busy, and its heartbeat says what it is.
    assertThat(await(registry.busyWith(trial))).isFalse();
    assertThat(await(registry.heartbeat())).contains("quarantined");
    await(registry.stopped());
    assertThat(row("w1").getString("status")).isEqualTo("stopped");
  }

  @Test
  @DisplayName(
      "a worker quarantines itself after three failed trials and claims again once released")
  void workerQuarantinesItselfAndResumesWhenReleased() throws Exception {
    insertTrials(5);
    // The fallback poll never fires in this test: claims come from notifications.
    WorkerOptions options =
        WorkerOptions.defaults("cpu", work.resolve("no-corpus"), work.resolve("runs"))
            .withIdlePoll(Duration.ofMinutes(10))
            .withHeartbeat(Duration.ofMillis(500));
    WorkerVerticle worker = new WorkerVerticle(pool, connect, options);
    String deployment = await(vertx.deployVerticle(worker));

    Row quarantined = waitFor(worker.holder(), r -> "quarantined".equals(r.getString("status")));
    assertThat(quarantined.getInteger("consecutive_failures")).isEqualTo(3);
    assertThat(quarantined.getString("quarantine_reason"))
        .startsWith("3 trials in a row failed on this worker")
        .contains("no corpus at");
    assertThat(quarantined.getString("device")).isEqualTo("cpu");
    assertThat(quarantined.getJsonObject("runtime").getString("worker")).isEqualTo(worker.holder());
    assertThat(statusCount("failed")).isEqualTo(3);
    assertThat(statusCount("queued")).isEqualTo(2);

    await(
        pool.preparedQuery(
                "UPDATE workers SET status = 'idle', consecutive_failures = 0,"
                    + " quarantine_reason = NULL WHERE id = $1 AND status = 'quarantined'")
            .execute(Tuple.of(worker.holder())));
    Row released = waitFor(worker.holder(), r -> r.getInteger("consecutive_failures") == 2);

    assertThat(released.getString("status")).isEqualTo("idle");
    assertThat(statusCount("failed")).isEqualTo(5);

    long late = insertTrials(1, 100).get(0);
    waitFor(worker.holder(), r -> r.getInteger("consecutive_failures") == 3);
    Row trial =
        await(
                pool.preparedQuery(
                        "SELECT status, attempt, extract(epoch FROM started_at - created_at) * 1000"
                            + " AS wait_ms FROM trials WHERE id = $1")
                    .execute(Tuple.of(late)))
            .iterator()
            .next();
    assertThat(trial.getString("status")).isEqualTo("failed");
    assertThat(trial.getInteger("attempt")).isEqualTo(1);
    System.out.printf(
        "A trial queued for an idle worker started after %.1f ms%n", trial.getDouble("wait_ms"));

    await(vertx.undeploy(deployment));
    assertThat(row(worker.holder()).getString("status")).isEqualTo("stopped");
  }

  private static Row waitFor(String worker, Predicate<Row> done) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      Optional<Row> found = find(worker);
      if (found.isPresent() && done.test(found.get())) {
        return found.get();
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            "worker " + worker + " never got there: " + found.map(Row::toJson));
      }
      Thread.sleep(50);
    }
  }

  private static Row row(String worker) throws Exception {
    return find(worker).orElseThrow();
  }

  private static Optional<Row> find(String worker) throws Exception {
    var rows =
        await(pool.preparedQuery("SELECT * FROM workers WHERE id = $1").execute(Tuple.of(worker)));
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }

  private static long statusCount(String status) throws Exception {
    return await(
            pool.preparedQuery("SELECT count(*) AS n FROM trials WHERE status = $1")
                .execute(Tuple.of(status)))
        .iterator()
        .next()
        .getLong("n");
  }

  private static List<Long> insertTrials(int count) throws Exception {
    return insertTrials(count, 0);
  }

  private static List<Long> insertTrials(int count, int from) throws Exception {
    long sweep =
        await(
                pool.query("INSERT INTO sweeps (name, spec) VALUES ('t', '{}') RETURNING id")
                    .execute())
            .iterator()
            .next()
            .getLong("id");
    List<Long> ids = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      ids.add(
          await(
                  pool.preparedQuery(
                          "INSERT INTO trials (sweep_id, params, params_hash)"
                              + " VALUES ($1, $2, $3) RETURNING id")
                      .execute(Tuple.of(sweep, new JsonObject().put("epochs", 1), "h" + i)))
              .iterator()
              .next()
              .getLong("id"));
    }
    return ids;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
