package dev.cliplab.worker.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * SQL for the trial queue as a worker sees it. Every write after the claim is guarded by the trial
 * id, the attempt number and the {@code running} state, so a worker that lost its lease (a zombie)
 * cannot record anything for a newer attempt.
 */
public final class TrialQueue {

  // cliplab_claim (migration V6) skips paused and cancelled sweeps and honours max_concurrent.
  private static final String CLAIM =
      """
      SELECT id, sweep_id, params, attempt, kind, source_trial_id
      FROM cliplab_claim($1, $2)""";

  private static final String RENEW =
      """
      UPDATE trials SET lease_expires_at = now() + $4 * interval '1 millisecond'
      WHERE id = $1 AND attempt = $2 AND lease_holder = $3 AND status = 'running'""";

  private static final String RUNTIME =
      "UPDATE trials SET runtime = $3 WHERE id = $1 AND attempt = $2 AND status = 'running'";

  // The end of a trial commits without waiting for its WAL flush, which on a slow disk costs more
  // than the rest of a claim-and-finish: an end lost in a database crash leaves the trial running
  // under a lease nobody renews, so the reaper queues it again and it resumes from its last
  // checkpoint. Its results were written, durably, before it.
  private static final String FINISH =
      """
      UPDATE trials
      SET status = $3, error = $4, finished_at = now(), lease_holder = NULL, lease_expires_at = NULL
      WHERE id = $1 AND attempt = $2 AND status = 'running'
        AND set_config('synchronous_commit', 'off', true) IS NOT NULL""";

  // A trial handed back on a clean shutdown did not fail: one more allowed attempt keeps the
  // handback from counting against max_attempts, while the attempt number still grows for fencing.
  private static final String RELEASE =
      """
      UPDATE trials
      SET status = 'queued', lease_holder = NULL, lease_expires_at = NULL,
          max_attempts = max_attempts + 1
      WHERE id = $1 AND attempt = $2 AND status = 'running'""";

  // A cancelled trial's own attempt may still flush the steps it trained before it stopped: its
  // stop checkpoint holds them, so a retry resumes after them and they would otherwise be missing
  // from its curve. Any other attempt's points are refused.
  private static final String INSERT_METRICS =
      """
      INSERT INTO metrics (trial_id, name, step, value, attempt)
      SELECT $1, u.name, u.step, u.value, $2
      FROM unnest($3::text[], $4::bigint[], $5::float8[]) AS u(name, step, value)
      WHERE EXISTS (SELECT 1 FROM trials WHERE id = $1 AND attempt = $2
                      AND status IN ('running', 'cancelled'))
      ON CONFLICT (trial_id, name, step)
      DO UPDATE SET value = excluded.value, attempt = excluded.attempt""";

  private static final String INSERT_EVALUATIONS =
      """
      INSERT INTO evaluations (trial_id, phase, task, metric, value, attempt)
      SELECT $1, u.phase, u.task, u.metric, u.value, $2
      FROM unnest($3::text[], $4::text[], $5::text[], $6::float8[])
           AS u(phase, task, metric, value)
      WHERE EXISTS (SELECT 1 FROM trials WHERE id = $1 AND attempt = $2 AND status = 'running')
      ON CONFLICT (trial_id, phase, task, metric)
      DO UPDATE SET value = excluded.value, attempt = excluded.attempt""";

  private static final String INSERT_EVALUATION_DETAILS =
      """
      INSERT INTO evaluation_details (trial_id, phase, report, attempt)
      SELECT $1, $3, $4, $2
      WHERE EXISTS (SELECT 1 FROM trials WHERE id = $1 AND attempt = $2 AND status = 'running')
      ON CONFLICT (trial_id, phase)
      DO UPDATE SET report = excluded.report, attempt = excluded.attempt""";

  private static final String INSERT_CHECKPOINT =
      """
      INSERT INTO checkpoints (trial_id, epoch, step, path, attempt)
      SELECT $1, $3, $4, $5, $2
      WHERE EXISTS (SELECT 1 FROM trials WHERE id = $1 AND attempt = $2 AND status = 'running')
      ON CONFLICT (trial_id, epoch)
      DO UPDATE SET step = excluded.step, path = excluded.path, attempt = excluded.attempt""";

  private static final String REAP =
      """
      UPDATE trials
      SET status = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'queued' END,
          error = CASE WHEN attempt >= max_attempts
                       THEN 'lease of ' || lease_holder || ' expired on the last allowed attempt'
                       ELSE NULL END,
          finished_at = CASE WHEN attempt >= max_attempts THEN now() ELSE NULL END,
          lease_holder = NULL, lease_expires_at = NULL
      WHERE status = 'running' AND lease_expires_at < now()
      RETURNING id, status""";

  private final Pool pool;

  public TrialQueue(Pool pool) {
    this.pool = pool;
  }

  /**
   * Claims the queued trial with the highest priority, oldest first, for {@code holder}, among the
   * active sweeps that run fewer trials than their {@code max_concurrent}; empty when there is none
   * or every such trial is locked by another claimer.
   */
  public Future<Optional<ClaimedTrial>> claim(String holder, Duration lease) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(holder, lease.toMillis()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toClaim(rows)));
  }

  private static ClaimedTrial toClaim(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    return new ClaimedTrial(
        row.getLong("id"),
        row.getLong("sweep_id"),
        row.getJsonObject("params"),
        row.getInteger("attempt"),
        row.getString("kind"),
        row.getLong("source_trial_id"));
  }

  /** Extends the lease; {@code false} when the lease was lost (expired and re-queued, say). */
  public Future<Boolean> renew(ClaimedTrial trial, String holder, Duration lease) {
    return pool.preparedQuery(RENEW)
        .execute(Tuple.of(trial.id(), trial.attempt(), holder, lease.toMillis()))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Records which host, libtorch and device run this attempt; {@code false} when the claim is
   * stale.
   */
  public Future<Boolean> recordRuntime(ClaimedTrial trial, JsonObject runtime) {
    return pool.preparedQuery(RUNTIME)
        .execute(Tuple.of(trial.id(), trial.attempt(), runtime))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Moves a running trial to a final state; {@code false} when the claim is stale, in which case
   * nothing is written.
   */
  public Future<Boolean> finish(ClaimedTrial trial, String status, String error) {
    return pool.preparedQuery(FINISH)
        .execute(Tuple.of(trial.id(), trial.attempt(), status, error))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Returns a running trial to the queue because its worker is shutting down; {@code false} when
   * the claim is stale.
   */
  public Future<Boolean> release(ClaimedTrial trial) {
    return pool.preparedQuery(RELEASE)
        .execute(Tuple.of(trial.id(), trial.attempt()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Writes a batch of metric points in one statement; returns how many rows were written. */
  public Future<Integer> recordMetrics(ClaimedTrial trial, List<MetricPoint> points) {
    if (points.isEmpty()) {
      return Future.succeededFuture(0);
    }
    String[] names = new String[points.size()];
    Long[] steps = new Long[points.size()];
    Double[] values = new Double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      names[i] = points.get(i).name();
      steps[i] = points.get(i).step();
      values[i] = points.get(i).value();
    }
    Tuple args = Tuple.of(trial.id(), trial.attempt(), names, steps, values);
    return pool.preparedQuery(INSERT_METRICS).execute(args).map(RowSet::rowCount);
  }

  /** Writes evaluation results in one statement; returns how many rows were written. */
  public Future<Integer> recordEvaluations(ClaimedTrial trial, List<EvaluationResult> results) {
    if (results.isEmpty()) {
      return Future.succeededFuture(0);
    }
    int n = results.size();
    String[] phases = new String[n];
    String[] tasks = new String[n];
    String[] metrics = new String[n];
    Double[] values = new Double[n];
    for (int i = 0; i < n; i++) {
      phases[i] = results.get(i).phase();
      tasks[i] = results.get(i).task();
      metrics[i] = results.get(i).metric();
      values[i] = results.get(i).value();
    }
    Tuple args = Tuple.of(trial.id(), trial.attempt(), phases, tasks, metrics).addValue(values);
    return pool.preparedQuery(INSERT_EVALUATIONS).execute(args).map(RowSet::rowCount);
  }

  /** Records the details behind one phase's evaluation results; returns the rows written. */
  public Future<Integer> recordEvaluationDetails(
      ClaimedTrial trial, String phase, JsonObject report) {
    Tuple args = Tuple.of(trial.id(), trial.attempt(), phase, report);
    return pool.preparedQuery(INSERT_EVALUATION_DETAILS).execute(args).map(RowSet::rowCount);
  }

  /** Records where the checkpoint of an epoch was written. */
  public Future<Integer> recordCheckpoint(ClaimedTrial trial, int epoch, long step, String path) {
    Tuple args = Tuple.of(trial.id(), trial.attempt(), epoch, step, path);
    return pool.preparedQuery(INSERT_CHECKPOINT).execute(args).map(RowSet::rowCount);
  }

  /**
   * Returns running trials whose lease has expired to the queue, or fails them when they have used
   * every attempt; returns how many trials it touched.
   */
  public Future<Integer> reapExpiredLeases() {
    return pool.query(REAP).execute().map(RowSet::rowCount);
  }
}
