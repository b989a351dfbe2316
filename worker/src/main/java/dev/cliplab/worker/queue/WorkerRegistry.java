package dev.cliplab.worker.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * SQL for a worker's own row in {@code workers}: it registers at start, heartbeats, says which
 * trial it runs, counts its failures in a row and quarantines itself, and marks itself stopped.
 * Times come from the database clock.
 */
public final class WorkerRegistry {

  /** A worker's state as its row holds it. */
  public static final String IDLE = "idle";

  public static final String BUSY = "busy";
  public static final String QUARANTINED = "quarantined";
  public static final String STOPPED = "stopped";

  private static final String REGISTER =
      """
      INSERT INTO workers (id, host, device, runtime, heartbeat_ms)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (id) DO UPDATE
      SET host = excluded.host, device = excluded.device, runtime = excluded.runtime,
          heartbeat_ms = excluded.heartbeat_ms, status = 'idle', current_trial_id = NULL,
          consecutive_failures = 0, quarantine_reason = NULL, started_at = now(),
          heartbeat_at = now()""";

  private static final String HEARTBEAT =
      "UPDATE workers SET heartbeat_at = now() WHERE id = $1 RETURNING status";

  private static final String BUSY_WITH =
      """
      UPDATE workers SET status = 'busy', current_trial_id = $2, heartbeat_at = now()
      WHERE id = $1 AND status IN ('idle', 'busy')""";

  // One guarded UPDATE per trial end: a failure counts, a success resets the count, anything else
  // (diverged, cancelled, handed back) leaves it; reaching the threshold quarantines the worker.
  private static final String TRIAL_ENDED =
      """
      UPDATE workers
      SET current_trial_id = NULL, heartbeat_at = now(),
          consecutive_failures = CASE $2 WHEN 'failed' THEN consecutive_failures + 1
                                         WHEN 'succeeded' THEN 0
                                         ELSE consecutive_failures END,
          status = CASE WHEN $2 = 'failed' AND consecutive_failures + 1 >= $3
                        THEN 'quarantined' ELSE 'idle' END,
          quarantine_reason = CASE WHEN $2 = 'failed' AND consecutive_failures + 1 >= $3
                                   THEN $4 ELSE NULL END
      WHERE id = $1 AND status = 'busy'
      RETURNING status""";

  private static final String STOP =
      "UPDATE workers SET status = 'stopped', current_trial_id = NULL WHERE id = $1";

  private final Pool pool;
  private final String id;

  /**
   * The registry row of one worker.
   *
   * @param pool the database
   * @param id the worker's id, the name it takes leases under
   */
  public WorkerRegistry(Pool pool, String id) {
    this.pool = pool;
    this.id = id;
  }

  /** Creates or resets the worker's row: idle, no failures, heartbeat now. */
  public Future<Void> register(String host, String device, JsonObject runtime, long heartbeatMs) {
    return pool.preparedQuery(REGISTER)
        .execute(Tuple.of(id, host, device, runtime, heartbeatMs))
        .mapEmpty();
  }

  /** Renews the heartbeat; the row's status, empty when the row is gone. */
  public Future<Optional<String>> heartbeat() {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(id)).map(WorkerRegistry::status);
  }

  /** Marks the worker busy with a trial; {@code false} when it is quarantined or stopped. */
  public Future<Boolean> busyWith(long trialId) {
    return pool.preparedQuery(BUSY_WITH)
        .execute(Tuple.of(id, trialId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Records how the worker's trial ended.
   *
   * @param status the trial's recorded final status
   * @param maxFailures failures in a row that quarantine the worker
   * @param reason what to record as the quarantine's reason, should this end one
   * @return the worker's new status, empty when it was not busy
   */
  public Future<Optional<String>> trialEnded(String status, int maxFailures, String reason) {
    return pool.preparedQuery(TRIAL_ENDED)
        .execute(Tuple.of(id, status, maxFailures, reason))
        .map(WorkerRegistry::status);
  }

  /** Marks the worker stopped, on a clean shutdown. */
  public Future<Void> stopped() {
    return pool.preparedQuery(STOP).execute(Tuple.of(id)).mapEmpty();
  }

  private static Optional<String> status(RowSet<Row> rows) {
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next().getString("status"));
  }
}
