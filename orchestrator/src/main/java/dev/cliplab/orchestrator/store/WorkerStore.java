package dev.cliplab.orchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;

/**
 * The registry of workers as the API shows it, and the one change people make to it: lifting a
 * quarantine. A worker is {@code lost} when it is not stopped and its heartbeat is older than three
 * of its heartbeat intervals, by the database clock.
 */
public final class WorkerStore {

  /** Values of the {@code status} filter: the stored states, and {@code lost}. */
  public static final List<String> FILTERS =
      List.of("idle", "busy", "quarantined", "stopped", "lost");

  private static final String COLUMNS =
      """
      id, host, device, status, current_trial_id, heartbeat_at, heartbeat_ms, runtime,
      consecutive_failures, quarantine_reason, started_at,
      status <> 'stopped' AND heartbeat_at < now() - 3 * heartbeat_ms * interval '1 millisecond'
        AS lost""";

  private static final String MATCHES =
      """
      ($1::text IS NULL OR status = $1
       OR ($1 = 'lost' AND status <> 'stopped'
           AND heartbeat_at < now() - 3 * heartbeat_ms * interval '1 millisecond'))""";

  private static final String LIST =
      "SELECT " + COLUMNS + " FROM workers WHERE " + MATCHES + " ORDER BY id LIMIT $2 OFFSET $3";

  private static final String COUNT = "SELECT count(*) AS n FROM workers WHERE " + MATCHES;

  private static final String RELEASE =
      """
      UPDATE workers SET status = 'idle', consecutive_failures = 0, quarantine_reason = NULL
      WHERE id = $1 AND status = 'quarantined'
      RETURNING\s"""
          + COLUMNS;

  private static final String FIND = "SELECT " + COLUMNS + " FROM workers WHERE id = $1";

  private final Pool pool;

  public WorkerStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * A page of workers by id, with the {@code total} that match.
   *
   * @param status one of {@link #FILTERS}, or null for all
   */
  public Future<JsonObject> list(String status, int limit, int offset) {
    Future<RowSet<Row>> page = pool.preparedQuery(LIST).execute(Tuple.of(status, limit, offset));
    Future<RowSet<Row>> count = pool.preparedQuery(COUNT).execute(Tuple.of(status));
    return Future.all(page, count)
        .map(
            all -> {
              JsonArray workers = new JsonArray();
              page.result().forEach(r -> workers.add(workerJson(r)));
              return new JsonObject()
                  .put("workers", workers)
                  .put("total", count.result().iterator().next().getLong("n"))
                  .put("limit", limit)
                  .put("offset", offset);
            });
  }

  /** One worker; empty when unknown. */
  public Future<Optional<JsonObject>> find(String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(WorkerStore::first);
  }

  /** Lifts a worker's quarantine; empty when it is unknown or not quarantined. */
  public Future<Optional<JsonObject>> release(String id) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(id)).map(WorkerStore::first);
  }

  private static Optional<JsonObject> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(workerJson(rows.iterator().next()));
  }

  private static JsonObject workerJson(Row r) {
    return new JsonObject()
        .put("id", r.getString("id"))
        .put("host", r.getString("host"))
        .put("device", r.getString("device"))
        .put("status", r.getString("status"))
        .put("lost", r.getBoolean("lost"))
        .put("current_trial_id", r.getLong("current_trial_id"))
        .put("heartbeat_at", Rows.time(r, "heartbeat_at"))
        .put("heartbeat_ms", r.getInteger("heartbeat_ms"))
        .put("started_at", Rows.time(r, "started_at"))
        .put("runtime", r.getJsonObject("runtime"))
        .put("consecutive_failures", r.getInteger("consecutive_failures"))
        .put("quarantine_reason", r.getString("quarantine_reason"));
  }
}
