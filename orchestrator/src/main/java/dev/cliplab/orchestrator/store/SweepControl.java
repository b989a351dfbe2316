package dev.cliplab.orchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * State changes that people ask for: pausing, resuming and cancelling a sweep, cancelling and
 * retrying a trial. Each is one guarded {@code UPDATE}; an empty answer means the row is missing or
 * not in a state the change applies to, which {@link #sweepStatus} and {@link #trialState} tell
 * apart. Sweep changes take the sweep's advisory lock, as claims do (migration V6), so no trial of
 * a sweep starts once its pause or cancel has returned; the database announces every change.
 */
public final class SweepControl {

  private static final String LOCK_SWEEP = "SELECT pg_advisory_xact_lock($1)";

  private static final String SWEEP_TRANSITION =
      """
      UPDATE sweeps SET status = $2, updated_at = now()
      WHERE id = $1 AND status = ANY($3)
      RETURNING id, name, status, priority, max_concurrent, metric, goal, created_at, updated_at""";

  // Runs before the sweep's lock is taken: it may wait for a claimer's row lock, and a claimer may
  // be waiting for that lock.
  private static final String CANCEL_SWEEP_TRIALS =
      """
      UPDATE trials
      SET status = 'cancelled', error = 'cancelled with its sweep', finished_at = now(),
          lease_holder = NULL, lease_expires_at = NULL
      WHERE sweep_id = $1 AND status IN ('queued', 'running')
        AND EXISTS (SELECT 1 FROM sweeps WHERE id = $1 AND status <> 'cancelled')""";

  private static final String CANCEL_TRIAL =
      """
      UPDATE trials t
      SET status = 'cancelled', error = 'cancelled on request', finished_at = now(),
          lease_holder = NULL, lease_expires_at = NULL
      FROM trials before
      WHERE t.id = $1 AND before.id = t.id AND t.status IN ('queued', 'running')
      RETURNING t.id, t.sweep_id, t.status, t.attempt, t.max_attempts, before.status AS was""";

  // One more attempt than used so far, so that a trial that ran out of attempts can run again; the
  // worker resumes it from the newest checkpoint in its folder.
  // Retrying a pruned trial overrides the rung that stopped it: the stored decision becomes a
  // promotion, so the resumed run continues past that rung instead of being judged again.
  private static final String RETRY_TRIAL =
      """
      WITH overridden AS (
        UPDATE asha_results SET promoted = true
        WHERE trial_id = $1 AND NOT promoted
          AND EXISTS (SELECT 1 FROM trials WHERE id = $1 AND status = 'pruned'))
      UPDATE trials t
      SET status = 'queued', error = NULL, finished_at = NULL, lease_holder = NULL,
          lease_expires_at = NULL, max_attempts = greatest(t.max_attempts, t.attempt + 1)
      FROM trials before
      WHERE t.id = $1 AND before.id = t.id
        AND t.status IN ('failed', 'diverged', 'cancelled', 'pruned')
        AND EXISTS (SELECT 1 FROM sweeps s WHERE s.id = t.sweep_id AND s.status <> 'cancelled')
      RETURNING t.id, t.sweep_id, t.status, t.attempt, t.max_attempts, before.status AS was""";

  private static final String SWEEP_STATUS = "SELECT status FROM sweeps WHERE id = $1";

  private static final String TRIAL_STATE =
      """
      SELECT t.status, s.status AS sweep_status
      FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE t.id = $1""";

  private final Pool pool;

  public SweepControl(Pool pool) {
    this.pool = pool;
  }

  /** Pauses an active sweep: its queued trials wait, its running trials run on. */
  public Future<Optional<JsonObject>> pause(long id) {
    return pool.withTransaction(conn -> transition(conn, id, "paused", "active"));
  }

  /** Resumes a paused sweep; idle workers are woken. */
  public Future<Optional<JsonObject>> resume(long id) {
    return pool.withTransaction(conn -> transition(conn, id, "active", "paused"));
  }

  /**
   * Cancels an active or paused sweep and its queued and running trials; the workers of running
   * ones stop them at their next step. The answer carries {@code cancelled_trials}.
   */
  public Future<Optional<JsonObject>> cancel(long id) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(CANCEL_SWEEP_TRIALS)
                .execute(Tuple.of(id))
                .compose(
                    trials ->
                        transition(conn, id, "cancelled", "active", "paused")
                            .map(s -> s.map(j -> j.put("cancelled_trials", trials.rowCount())))));
  }

  private static Future<Optional<JsonObject>> transition(
      SqlConnection conn, long id, String to, String... from) {
    return conn.preparedQuery(LOCK_SWEEP)
        .execute(Tuple.of(id))
        .compose(locked -> conn.preparedQuery(SWEEP_TRANSITION).execute(Tuple.of(id, to, from)))
        .map(SweepControl::sweepJson);
  }

  /** Cancels a queued or running trial; a running one stops at its worker's next step. */
  public Future<Optional<JsonObject>> cancelTrial(long id) {
    return pool.preparedQuery(CANCEL_TRIAL).execute(Tuple.of(id)).map(SweepControl::trialJson);
  }

  /** Queues a failed, diverged, cancelled or pruned trial again, unless its sweep is cancelled. */
  public Future<Optional<JsonObject>> retryTrial(long id) {
    return pool.preparedQuery(RETRY_TRIAL).execute(Tuple.of(id)).map(SweepControl::trialJson);
  }

  /** A sweep's status; empty when there is no such sweep. */
  public Future<Optional<String>> sweepStatus(long id) {
    return pool.preparedQuery(SWEEP_STATUS)
        .execute(Tuple.of(id))
        .map(rows -> first(rows).map(r -> r.getString("status")));
  }

  /** A trial's status and its sweep's, as {@code {status, sweep_status}}; empty when missing. */
  public Future<Optional<JsonObject>> trialState(long id) {
    return pool.preparedQuery(TRIAL_STATE)
        .execute(Tuple.of(id))
        .map(
            rows ->
                first(rows)
                    .map(
                        r ->
                            new JsonObject()
                                .put("status", r.getString("status"))
                                .put("sweep_status", r.getString("sweep_status"))));
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }

  private static Optional<JsonObject> sweepJson(RowSet<Row> rows) {
    return first(rows)
        .map(
            r ->
                new JsonObject()
                    .put("id", r.getLong("id"))
                    .put("name", r.getString("name"))
                    .put("status", r.getString("status"))
                    .put("priority", r.getInteger("priority"))
                    .put("max_concurrent", r.getInteger("max_concurrent"))
                    .put("metric", r.getString("metric"))
                    .put("goal", r.getString("goal"))
                    .put("created_at", Rows.time(r, "created_at"))
                    .put("updated_at", Rows.time(r, "updated_at")));
  }

  private static Optional<JsonObject> trialJson(RowSet<Row> rows) {
    return first(rows)
        .map(
            r ->
                new JsonObject()
                    .put("id", r.getLong("id"))
                    .put("sweep_id", r.getLong("sweep_id"))
                    .put("status", r.getString("status"))
                    .put("previous_status", r.getString("was"))
                    .put("attempt", r.getInteger("attempt"))
                    .put("max_attempts", r.getInteger("max_attempts")));
  }
}
