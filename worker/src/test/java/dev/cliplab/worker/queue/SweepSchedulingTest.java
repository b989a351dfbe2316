package dev.cliplab.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Claims against sweep state and concurrency limits, with many claimers and a racing lease reaper,
 * on the real PostgreSQL.
 */
class SweepSchedulingTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final int CLAIMERS = 16;
  private static Vertx vertx;
  private static Pool pool;
  private static TrialQueue queue;

  @BeforeAll
  static void connect() {
    TestDatabase db = TestDatabase.create();
    vertx = Vertx.vertx();
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(db.host())
            .setPort(db.port())
            .setDatabase(db.name())
            .setUser(db.user());
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(CLAIMERS + 2))
            .connectingTo(connect)
            .using(vertx)
            .build();
    queue = new TrialQueue(pool);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void emptyQueue() throws Exception {
    await(pool.query("TRUNCATE sweeps, workers CASCADE").execute());
  }

  @Test
  @DisplayName("sixteen claimers never run more than a sweep's max_concurrent of 2 at once")
  void concurrentClaimersHonourMaxConcurrent() throws Exception {
    long limited = sweep("active", 2);
    long open = sweep("active", null);
    insertTrials(limited, 60, 0);
    insertTrials(open, 60, 0);
    Set<Long> runningLimited = ConcurrentHashMap.newKeySet();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    List<String> violations = Collections.synchronizedList(new ArrayList<>());

    List<Future<Void>> claimers = new ArrayList<>();
    for (int i = 0; i < CLAIMERS; i++) {
      Promise<Void> done = Promise.promise();
      claimers.add(done.future());
      runUntilFinished(
          "c" + i, limited, runningLimited, mostAtOnce, finished, 120, violations, done);
    }
    await(Future.all(claimers));

    assertThat(violations).isEmpty();
    // Reached, so the limit was tested, and never passed.
    assertThat(mostAtOnce.get()).isEqualTo(2);
    assertThat(counts()).isEqualTo(Map.of("succeeded", 120L));
  }

  /**
   * One claimer's loop: claim, hold the trial a moment, finish it; when nothing is claimable yet
   * (the limited sweep is full) look again shortly, until {@code total} trials have finished. A
   * trial leaves the in-memory set before its finish is sent, so the set never holds more than the
   * database has running: more than two in it means more than two ran at once.
   */
  private static void runUntilFinished(
      String holder,
      long limited,
      Set<Long> runningLimited,
      AtomicInteger mostAtOnce,
      AtomicInteger finished,
      int total,
      List<String> violations,
      Promise<Void> done) {
    if (finished.get() >= total) {
      done.complete();
      return;
    }
    queue
        .claim(holder, LEASE)
        .onFailure(done::fail)
        .onSuccess(
            claimed -> {
              if (claimed.isEmpty()) {
                vertx.setTimer(
                    2,
                    t ->
                        runUntilFinished(
                            holder,
                            limited,
                            runningLimited,
                            mostAtOnce,
                            finished,
                            total,
                            violations,
                            done));
                return;
              }
              ClaimedTrial trial = claimed.get();
              boolean isLimited = trial.sweepId() == limited;
              if (isLimited) {
                runningLimited.add(trial.id());
                int now = runningLimited.size();
                mostAtOnce.accumulateAndGet(now, Math::max);
                if (now > 2) {
                  violations.add(now + " limited trials running when " + holder + " claimed one");
                }
              }
              vertx.setTimer(
                  1 + ThreadLocalRandom.current().nextInt(5),
                  t -> {
                    if (isLimited) {
                      runningLimited.remove(trial.id());
                    }
                    queue
                        .finish(trial, "succeeded", null)
                        .onFailure(done::fail)
                        .onSuccess(
                            ok -> {
                              if (!ok) {
                                violations.add("finish of trial " + trial.id() + " refused");
                              }
                              finished.incrementAndGet();
                              runUntilFinished(
                                  holder,
                                  limited,
                                  runningLimited,
                                  mostAtOnce,
                                  finished,
                                  total,
                                  violations,
                                  done);
                            });
                  });
            });
  }

  @Test
  @DisplayName("claims pass over paused and cancelled sweeps, and take a resumed sweep's trials")
  void pausedAndCancelledSweepsAreSkipped() throws Exception {
    long paused = sweep("paused", null);
    long cancelled = sweep("cancelled", null);
    long active = sweep("active", null);
    List<Long> waiting = insertTrials(paused, 2, 9);
    insertTrials(cancelled, 2, 9);
    List<Long> low = insertTrials(active, 1, 0);

    ClaimedTrial first = await(queue.claim("w", LEASE)).orElseThrow();
    boolean nothingElse = await(queue.claim("w", LEASE)).isEmpty();
    await(
        pool.preparedQuery("UPDATE sweeps SET status = 'active' WHERE id = $1")
            .execute(Tuple.of(paused)));
    ClaimedTrial second = await(queue.claim("w", LEASE)).orElseThrow();

    assertThat(first.id()).isEqualTo(low.get(0));
    assertThat(nothingElse).isTrue();
    assertThat(second.id()).isEqualTo(waiting.get(0));
  }

  @Test
  @DisplayName(
      "sixteen claimers and a reaper racing over 300 short-lease trials record each result once")
  void claimersAndReaperRecordEachResultOnce() throws Exception {
    long sweep = sweep("active", null);
    insertTrials(sweep, 300, 0);
    await(pool.query("UPDATE trials SET max_attempts = 1000").execute());
    // Every claim of a trial, by (trial, attempt); each finish the database accepted, by trial.
    Map<String, String> claims = new ConcurrentHashMap<>();
    Map<Long, List<Integer>> accepted = new ConcurrentHashMap<>();
    Map<Long, List<Integer>> refused = new ConcurrentHashMap<>();
    List<String> doubleClaims = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger finished = new AtomicInteger();
    long reaper = vertx.setPeriodic(5, t -> queue.reapExpiredLeases());

    List<Future<Void>> claimers = new ArrayList<>();
    for (int i = 0; i < CLAIMERS; i++) {
      Promise<Void> done = Promise.promise();
      claimers.add(done.future());
      workWithShortLeases("c" + i, claims, accepted, refused, doubleClaims, finished, 300, done);
    }
    await(Future.all(claimers));
    vertx.cancelTimer(reaper);

    assertThat(doubleClaims).isEmpty();
    assertThat(accepted).hasSize(300);
    assertThat(accepted.values()).allSatisfy(attempts -> assertThat(attempts).hasSize(1));
    // Some claims lost their lease to the reaper, so the fencing was exercised.
    assertThat(refused).isNotEmpty();
    assertThat(counts()).isEqualTo(Map.of("succeeded", 300L));
    for (Row row : await(pool.query("SELECT id, attempt FROM trials").execute())) {
      int last = row.getInteger("attempt");
      long id = row.getLong("id");
      // The accepted finish is the trial's last attempt; every refused one came before it.
      assertThat(accepted.get(id)).containsExactly(last);
      assertThat(refused.getOrDefault(id, List.of()))
          .allSatisfy(a -> assertThat(a).isLessThan(last));
    }
    Row results =
        await(
                pool.query(
                        """
                        SELECT (SELECT count(*) FROM metrics) AS metrics,
                               (SELECT count(*) FROM metrics m JOIN trials t ON t.id = m.trial_id
                                WHERE m.attempt <> t.attempt) AS stale_metrics,
                               (SELECT count(*) FROM evaluations) AS evaluations,
                               (SELECT count(*) FROM evaluations e JOIN trials t ON t.id = e.trial_id
                                WHERE e.attempt <> t.attempt) AS stale_evaluations,
                               (SELECT count(*) FROM (SELECT 1 FROM trials
                                GROUP BY sweep_id, params_hash HAVING count(*) > 1) d) AS twice""")
                    .execute())
            .iterator()
            .next();
    // Three steps and one evaluation per trial, each written by the attempt that finished it.
    assertThat(results.getLong("metrics")).isEqualTo(900);
    assertThat(results.getLong("stale_metrics")).isZero();
    assertThat(results.getLong("evaluations")).isEqualTo(300);
    assertThat(results.getLong("stale_evaluations")).isZero();
    assertThat(results.getLong("twice")).isZero();
  }

  /**
   * One claimer's loop under a 40 ms lease that it never renews: claim, write three metric points
   * and an evaluation, sometimes dawdle past the lease, finish. The reaper re-queues a lapsed claim
   * and a later claimer takes it as the next attempt.
   */
  private static void workWithShortLeases(
      String holder,
      Map<String, String> claims,
      Map<Long, List<Integer>> accepted,
      Map<Long, List<Integer>> refused,
      List<String> doubleClaims,
      AtomicInteger finished,
      int total,
      Promise<Void> done) {
    if (finished.get() >= total) {
      done.complete();
      return;
    }
    Runnable again =
        () ->
            workWithShortLeases(
                holder, claims, accepted, refused, doubleClaims, finished, total, done);
    queue
        .claim(holder, Duration.ofMillis(40))
        .onFailure(done::fail)
        .onSuccess(
            claimed -> {
              if (claimed.isEmpty()) {
                vertx.setTimer(3, t -> again.run());
                return;
              }
              ClaimedTrial trial = claimed.get();
              String previous = claims.putIfAbsent(trial.id() + "#" + trial.attempt(), holder);
              if (previous != null) {
                doubleClaims.add(trial.id() + " attempt " + trial.attempt() + " twice");
              }
              long dawdle = ThreadLocalRandom.current().nextInt(10) == 0 ? 80 : 1;
              vertx.setTimer(
                  dawdle,
                  t ->
                      queue
                          .recordMetrics(
                              trial,
                              List.of(
                                  new MetricPoint("loss", 1, 1.0),
                                  new MetricPoint("loss", 2, 0.5),
                                  new MetricPoint("loss", 3, 0.25)))
                          .compose(
                              n ->
                                  queue.recordEvaluations(
                                      trial,
                                      List.of(new EvaluationResult("final", "t", "top1", 0.5))))
                          .compose(n -> queue.finish(trial, "succeeded", null))
                          .onFailure(done::fail)
                          .onSuccess(
                              ok -> {
                                Map<Long, List<Integer>> into = ok ? accepted : refused;
                                into.computeIfAbsent(
                                        trial.id(),
                                        k -> Collections.synchronizedList(new ArrayList<>()))
                                    .add(trial.attempt());
                                if (ok) {
                                  finished.incrementAndGet();
                                }
                                again.run();
                              }));
            });
  }

  private static long sweep(String status, Integer maxConcurrent) throws Exception {
    return await(
            pool.preparedQuery(
                    "INSERT INTO sweeps (name, spec, status, max_concurrent)"
                        + " VALUES ('s', '{}', $1, $2) RETURNING id")
                .execute(Tuple.of(status, maxConcurrent)))
        .iterator()
        .next()
        .getLong("id");
  }

  private static List<Long> insertTrials(long sweep, int count, int priority) throws Exception {
    return TestPools.insertTrials(pool, sweep, count, priority);
  }

  private static Map<String, Long> counts() throws Exception {
    Map<String, Long> out = new java.util.HashMap<>();
    for (Row row :
        await(pool.query("SELECT status, count(*) AS n FROM trials GROUP BY status").execute())) {
      out.put(row.getString("status"), row.getLong("n"));
    }
    return out;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
