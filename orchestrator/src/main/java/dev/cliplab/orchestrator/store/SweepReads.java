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
 * Sweeps as the API lists them: each with its state, a count of its trials per state and its best
 * trial on the metric it optimises, a page of sweeps in one statement.
 */
public final class SweepReads {

  /** The states a sweep is listed under. */
  public static final List<String> STATES = List.of("active", "paused", "cancelled", "finished");

  // An active sweep with nothing queued or running is finished.
  private static final String STATE =
      """
      CASE WHEN s.status <> 'active' THEN s.status
           WHEN EXISTS (SELECT 1 FROM trials q WHERE q.sweep_id = s.id
                        AND q.status IN ('queued', 'running')) THEN 'active'
           ELSE 'finished' END""";

  // A training metric (no dots) is the trial's latest value of it; '<phase>.<task>.<metric>' is an
  // evaluation. NaN is never best. Without a goal, lower training and higher evaluation values win.
  private static final String SUMMARY =
      """
      SELECT p.*, coalesce(c.counts, '{}'::jsonb) AS counts, coalesce(c.trials, 0) AS trials,
             b.trial_id AS best_trial, b.value AS best_value
      FROM (%s) p
      LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(g.status, g.n) AS counts, sum(g.n)::bigint AS trials
        FROM (SELECT status, count(*) AS n FROM trials WHERE sweep_id = p.id GROUP BY status) g
      ) c ON true
      LEFT JOIN LATERAL (
        SELECT v.trial_id, v.value FROM (
          SELECT t.id AS trial_id, e.value
          FROM trials t JOIN evaluations e ON e.trial_id = t.id
          WHERE strpos(p.metric, '.') > 0 AND t.sweep_id = p.id AND t.status = 'succeeded'
            AND e.phase = split_part(p.metric, '.', 1) AND e.task = split_part(p.metric, '.', 2)
            AND e.metric = substring(p.metric FROM '^[^.]*\\.[^.]*\\.(.*)$')
          UNION ALL
          SELECT t.id, r.last_value
          FROM trials t CROSS JOIN LATERAL (
            SELECT last_value FROM metric_rollups
            WHERE trial_id = t.id AND name = p.metric ORDER BY bucket DESC LIMIT 1) r
          WHERE strpos(p.metric, '.') = 0 AND t.sweep_id = p.id AND t.status = 'succeeded') v
        WHERE v.value <> 'NaN'
        ORDER BY v.value * CASE WHEN coalesce(p.goal, CASE WHEN strpos(p.metric, '.') = 0
                                                   THEN 'minimize' ELSE 'maximize' END)
                                 = 'minimize' THEN 1 ELSE -1 END,
                 v.trial_id
        LIMIT 1
      ) b ON true""";

  private static final String COLUMNS =
      "s.id, s.name, s.created_at, s.updated_at, s.metric, s.goal, s.priority, s.max_concurrent";

  private static final String LIST =
      "WITH matching AS (SELECT "
          + COLUMNS
          + ", "
          + STATE
          + """
           AS state FROM sweeps s
            WHERE $3::text IS NULL OR strpos(lower(s.name), lower($3)) > 0),
          filtered AS (SELECT * FROM matching WHERE $4::text IS NULL OR state = $4)
          SELECT (SELECT count(*) FROM filtered) AS total, x.*
          FROM (SELECT 1) one LEFT JOIN (
          """
          + SUMMARY.formatted("SELECT * FROM filtered ORDER BY id DESC LIMIT $1 OFFSET $2")
          + ") x ON true ORDER BY x.id DESC";

  private static final String FIND =
      SUMMARY.formatted(
          "SELECT " + COLUMNS + ", s.spec, " + STATE + " AS state FROM sweeps s WHERE s.id = $1");

  private final Pool pool;

  public SweepReads(Pool pool) {
    this.pool = pool;
  }

  /**
   * A page of sweeps, newest first, as {@code {sweeps, total, limit, offset}}.
   *
   * @param state one of {@link #STATES}, or null for all
   * @param nameContains a case-insensitive part of the name, or null
   */
  public Future<JsonObject> list(int limit, int offset, String state, String nameContains) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(limit, offset, nameContains, state))
        .map(
            rows -> {
              JsonArray sweeps = new JsonArray();
              long total = 0;
              for (Row row : rows) {
                total = row.getLong("total");
                if (row.getLong("id") != null) {
                  sweeps.add(summaryJson(row));
                }
              }
              return new JsonObject()
                  .put("sweeps", sweeps)
                  .put("total", total)
                  .put("limit", limit)
                  .put("offset", offset);
            });
  }

  /** A sweep with its spec, state, counts and best trial; empty when there is no such sweep. */
  public Future<Optional<JsonObject>> find(long id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(SweepReads::first);
  }

  private static Optional<JsonObject> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(summaryJson(row).put("spec", row.getJsonObject("spec")));
  }

  private static JsonObject summaryJson(Row row) {
    Long best = row.getLong("best_trial");
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("status", row.getString("state"))
        .put("created_at", Rows.time(row, "created_at"))
        .put("updated_at", Rows.time(row, "updated_at"))
        .put("priority", row.getInteger("priority"))
        .put("max_concurrent", row.getInteger("max_concurrent"))
        .put("trials", row.getLong("trials"))
        .put("counts", row.getJsonObject("counts"))
        .put("metric", row.getString("metric"))
        .put("goal", row.getString("goal"))
        .put(
            "best",
            best == null
                ? null
                : new JsonObject()
                    .put("trial_id", best)
                    .put("value", Rows.number(row.getDouble("best_value"))));
  }
}
