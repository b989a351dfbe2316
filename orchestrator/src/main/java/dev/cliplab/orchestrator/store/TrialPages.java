package dev.cliplab.orchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;

/**
 * Pages of a sweep's trials, filtered by state and sorted by a column, a parameter, a latest metric
 * or an evaluation, each trial with its latest metrics and final evaluations; one statement per
 * page, whatever the sweep's size.
 */
public final class TrialPages {

  /** The states a trial can be in. */
  public static final List<String> STATES =
      List.of("queued", "running", "succeeded", "failed", "diverged", "cancelled", "pruned");

  /**
   * What a page is sorted by: {@code id}, {@code status}, {@code params.<name>}, {@code
   * metrics.<name>} (the latest value) or {@code eval.<phase>.<task>.<metric>}.
   */
  public record Sort(String kind, List<String> keys, boolean descending) {

    /**
     * Reads a sort key as the API takes it.
     *
     * @return empty when the key names nothing sortable
     */
    public static Optional<Sort> parse(String key, boolean descending) {
      if (key.equals("id") || key.equals("status")) {
        return Optional.of(new Sort(key, List.of(), descending));
      }
      for (String kind : List.of("params", "metrics")) {
        if (key.startsWith(kind + ".") && key.length() > kind.length() + 1) {
          return Optional.of(new Sort(kind, List.of(key.substring(kind.length() + 1)), descending));
        }
      }
      String[] eval = key.split("\\.", 4);
      if (eval.length == 4 && eval[0].equals("eval") && !eval[1].isEmpty() && !eval[2].isEmpty()) {
        return Optional.of(new Sort("eval", List.of(eval[1], eval[2], eval[3]), descending));
      }
      return Optional.empty();
    }

    /** The ORDER BY over trials {@code m}; the sort's keys are parameters from {@code $5}. */
    String orderBy() {
      String dir = descending ? " DESC" : " ASC";
      String value =
          switch (kind) {
            case "id" -> null;
            case "status" -> "m.status" + dir;
            // Numbers order as numbers, before any other value, which orders as text.
            case "params" ->
                "CASE WHEN jsonb_typeof(m.params -> $5::text) = 'number'"
                    + " THEN (m.params ->> $5::text)::numeric END"
                    + dir
                    + " NULLS LAST, m.params ->> $5::text"
                    + dir
                    + " NULLS LAST";
            case "metrics" ->
                "(SELECT r.last_value FROM metric_rollups r WHERE r.trial_id = m.id AND r.name = $5"
                    + " ORDER BY r.bucket DESC LIMIT 1)"
                    + dir
                    + " NULLS LAST";
            default ->
                "(SELECT e.value FROM evaluations e WHERE e.trial_id = m.id AND e.phase = $5"
                    + " AND e.task = $6 AND e.metric = $7)"
                    + dir
                    + " NULLS LAST";
          };
      return value == null ? "m.id" + dir : value + ", m.id";
    }
  }

  // The page is cut first, so that only its rows get their metrics and evaluations looked up; its
  // order survives as ord, numbered over the already ordered page.
  private static final String PAGE =
      """
      WITH page AS MATERIALIZED (
        SELECT o.*, row_number() OVER () AS ord FROM (
          SELECT m.id, m.params, m.status, m.attempt, m.error, m.created_at, m.started_at,
                 m.finished_at, m.rung
          FROM trials m WHERE m.sweep_id = $1 AND ($2::text[] IS NULL OR m.status = ANY($2))
          ORDER BY %s LIMIT $3 OFFSET $4) o)
      SELECT (SELECT count(*) FROM trials
              WHERE sweep_id = $1 AND ($2::text[] IS NULL OR status = ANY($2))) AS total,
             EXISTS (SELECT 1 FROM sweeps WHERE id = $1) AS sweep_exists,
             p.*, lm.metric_names, lm.metric_values, ev.eval_names, ev.eval_values
      FROM (SELECT 1) one
      LEFT JOIN page p ON true
      LEFT JOIN LATERAL (
        SELECT array_agg(x.name ORDER BY x.name) AS metric_names,
               array_agg(x.last_value ORDER BY x.name) AS metric_values
        FROM (SELECT DISTINCT ON (name) name, last_value FROM metric_rollups
              WHERE trial_id = p.id ORDER BY name, bucket DESC) x) lm ON true
      LEFT JOIN LATERAL (
        SELECT array_agg(phase || '.' || task || '.' || metric ORDER BY task, metric) AS eval_names,
               array_agg(value ORDER BY task, metric) AS eval_values
        FROM evaluations WHERE trial_id = p.id AND phase = 'final') ev ON true
      ORDER BY p.ord""";

  private final Pool pool;

  public TrialPages(Pool pool) {
    this.pool = pool;
  }

  /**
   * A page of a sweep's trials as {@code {trials, total, limit, offset}}; empty when there is no
   * such sweep.
   *
   * @param states the states to keep, or null for all
   */
  public Future<Optional<JsonObject>> page(
      long sweepId, List<String> states, Sort sort, int limit, int offset) {
    Tuple args =
        Tuple.of(sweepId, states == null ? null : states.toArray(new String[0]), limit, offset);
    sort.keys().forEach(args::addString);
    return pool.preparedQuery(PAGE.formatted(sort.orderBy()))
        .execute(args)
        .map(
            rows -> {
              Row head = rows.iterator().next();
              if (!head.getBoolean("sweep_exists")) {
                return Optional.empty();
              }
              JsonArray trials = new JsonArray();
              for (Row row : rows) {
                if (row.getLong("id") != null) {
                  trials.add(trialJson(row));
                }
              }
              return Optional.of(
                  new JsonObject()
                      .put("trials", trials)
                      .put("total", head.getLong("total"))
                      .put("limit", limit)
                      .put("offset", offset));
            });
  }

  private static JsonObject trialJson(Row row) {
    return Rows.trial(row)
        .put("rung", row.getInteger("rung"))
        .put("metrics", Rows.flat(row, "metric_names", "metric_values"))
        .put("evaluations", Rows.flat(row, "eval_names", "eval_values"));
  }
}
