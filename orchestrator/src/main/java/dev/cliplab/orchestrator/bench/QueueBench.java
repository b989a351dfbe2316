package dev.cliplab.orchestrator.bench;

import static dev.cliplab.orchestrator.bench.BenchDatabase.await;
import static dev.cliplab.orchestrator.bench.BenchDatabase.one;

import dev.cliplab.worker.queue.ClaimedTrial;
import dev.cliplab.worker.queue.MetricPoint;
import dev.cliplab.worker.queue.TrialQueue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The worker's side of the queue at full speed: claiming no-op trials, and writing metrics. */
final class QueueBench {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String[] NAMES = {
    "loss", "mi_estimate", "temperature", "learning_rate", "images_per_sec"
  };

  private final Pool pool;
  private final TrialQueue queue;

  QueueBench(Pool pool) {
    this.pool = pool;
    this.queue = new TrialQueue(pool);
  }

  /**
   * Queues {@code trials} trials in one sweep, then lets {@code claimers} claim and finish them at
   * once until the queue is empty.
   *
   * @return claims per second
   */
  double claimsPerSecond(int trials, int claimers) throws Exception {
    long sweep = BenchDatabase.sweep(pool, "bench claims");
    one(
        pool,
        "INSERT INTO trials (sweep_id, params, params_hash)"
            + " SELECT $1, jsonb_build_object('i', i), 'c' || i FROM generate_series(1, $2) i",
        sweep,
        trials);
    // As the submission of a large sweep does, so that claims plan with the table's statistics.
    one(pool, "ANALYZE trials");
    long started = System.nanoTime();
    List<Future<Integer>> loops = new ArrayList<>();
    for (int i = 0; i < claimers; i++) {
      Promise<Integer> done = Promise.promise();
      claimUntilEmpty("bench-" + i, 0, done);
      loops.add(done.future());
    }
    await(Future.all(loops));
    double seconds = (System.nanoTime() - started) / 1e9;
    int claimed = loops.stream().mapToInt(f -> f.result()).sum();
    if (claimed != trials) {
      throw new IllegalStateException("claimed " + claimed + " of " + trials + " trials");
    }
    return claimed / seconds;
  }

  /** Claims and finishes trials one after another, without nesting futures, until none is left. */
  private void claimUntilEmpty(String holder, int claimed, Promise<Integer> done) {
    queue
        .claim(holder, LEASE)
        .onFailure(done::fail)
        .onSuccess(
            trial -> {
              if (trial.isEmpty()) {
                done.complete(claimed);
                return;
              }
              queue
                  .finish(trial.get(), "succeeded", null)
                  .onFailure(done::fail)
                  .onSuccess(ok -> claimUntilEmpty(holder, claimed + 1, done));
            });
  }

  /**
   * Writes {@code points} points of five metrics for one running trial, {@code batch} points per
   * statement, one statement after another as a worker's flushes go.
   *
   * @return points written per second
   */
  double metricPointsPerSecond(int points, int batch) throws Exception {
    long sweep = BenchDatabase.sweep(pool, "bench metrics");
    one(pool, "INSERT INTO trials (sweep_id, params, params_hash) VALUES ($1, '{}', 'm')", sweep);
    ClaimedTrial trial = await(queue.claim("bench-metrics", LEASE)).orElseThrow();
    List<List<MetricPoint>> batches = new ArrayList<>();
    for (int start = 0; start < points; start += batch) {
      List<MetricPoint> one = new ArrayList<>();
      for (int i = start; i < Math.min(points, start + batch); i++) {
        one.add(new MetricPoint(NAMES[i % NAMES.length], i / NAMES.length + 1, 1.0 / (i + 1)));
      }
      batches.add(one);
    }
    long started = System.nanoTime();
    Future<Integer> chain = Future.succeededFuture(0);
    for (List<MetricPoint> one : batches) {
      chain = chain.compose(n -> queue.recordMetrics(trial, one).map(written -> n + written));
    }
    int written = await(chain);
    double seconds = (System.nanoTime() - started) / 1e9;
    await(queue.finish(trial, "succeeded", null));
    if (written != points) {
      throw new IllegalStateException("wrote " + written + " of " + points + " points");
    }
    return written / seconds;
  }
}
