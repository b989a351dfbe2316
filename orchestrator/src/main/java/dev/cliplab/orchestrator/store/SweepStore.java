package dev.cliplab.orchestrator.store;

import dev.cliplab.orchestrator.sweep.ParamsHash;
import dev.cliplab.orchestrator.sweep.SweepSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Sweeps and the trials they own. */
public final class SweepStore {

  private static final String INSERT_SWEEP =
      """
      INSERT INTO sweeps (name, spec, status, priority, max_concurrent, metric, goal)
      VALUES ($1, $2, 'active', $3, $4, $5, $6) RETURNING id""";

  // A baseline that ran, runs or waits to run anywhere is reused rather than queued again.
  private static final String EXISTING_SPECS =
      """
      SELECT DISTINCT spec_hash FROM trials
      WHERE spec_hash = ANY($1) AND status NOT IN ('failed', 'cancelled')""";

  private static final String INSERT_TRIAL =
      """
      INSERT INTO trials (sweep_id, params, params_hash, priority, max_attempts, spec_hash)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (sweep_id, params_hash) DO NOTHING""";

  private static final String SELECT_SWEEP =
      "SELECT id, name, spec, created_at FROM sweeps WHERE id = $1";

  private static final String SELECT_TRIALS =
      """
      SELECT id, params, status, attempt, error, started_at, finished_at
      FROM trials WHERE sweep_id = $1 ORDER BY id""";

  private static final String LIST_SWEEPS =
      """
      SELECT s.id, s.name, s.created_at,
             count(t.id) AS trials,
             count(t.id) FILTER (WHERE t.status IN ('queued', 'running')) AS active
      FROM sweeps s LEFT JOIN trials t ON t.sweep_id = s.id
      GROUP BY s.id ORDER BY s.id DESC LIMIT $1 OFFSET $2""";

  private final Pool pool;
  private final Baselines baselines;

  public SweepStore(Pool pool, Baselines baselines) {
    this.pool = pool;
    this.baselines = baselines;
  }

  /**
   * Stores the sweep and one queued trial per point in one transaction, then wakes listening
   * workers; returns the new sweep's id, how many trials it made and how many of them are
   * baselines.
   */
  public Future<JsonObject> create(JsonObject specJson, SweepSpec spec) {
    Tuple sweep =
        Tuple.of(
            spec.name(),
            specJson,
            spec.priority(),
            spec.maxConcurrent(),
            spec.metric(),
            spec.goal());
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(INSERT_SWEEP)
                .execute(sweep)
                .compose(
                    rows -> {
                      long id = rows.iterator().next().getLong("id");
                      return baselinesToQueue(conn, spec)
                          .compose(
                              wanted -> {
                                List<JsonObject> all = new ArrayList<>(spec.expand());
                                all.addAll(wanted);
                                return insertTrials(conn, id, spec, all)
                                    .map(done -> counts(spec.expand(), wanted).put("id", id));
                              });
                    }));
  }

  /**
   * What {@link #create} would make, found with reads only: {@code {trials, baselines}}, the trials
   * counting the baselines.
   */
  public Future<JsonObject> plan(SweepSpec spec) {
    return baselinesToQueue(pool, spec)
        .map(
            wanted -> {
              JsonObject counts = counts(spec.expand(), wanted);
              return new JsonObject()
                  .put("trials", counts.getInteger("trials"))
                  .put("baselines", counts.getInteger("baselines_queued"));
            });
  }

  /** How many rows a sweep of these points and baselines makes, and how many are baselines. */
  private static JsonObject counts(List<JsonObject> points, List<JsonObject> baselines) {
    return new JsonObject()
        .put("trials", points.size() + baselines.size())
        .put("baselines_queued", baselines.size());
  }

  /** The baselines of the spec's points that no trial of any sweep has run, runs or will run. */
  private Future<List<JsonObject>> baselinesToQueue(SqlClient client, SweepSpec spec) {
    Map<String, JsonObject> wanted =
        spec.baselines() ? missingBaselines(spec.expand()) : new LinkedHashMap<>();
    if (wanted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return client
        .preparedQuery(EXISTING_SPECS)
        .execute(Tuple.of(wanted.keySet().toArray(new String[0])))
        .map(
            existing -> {
              existing.forEach(r -> wanted.remove(r.getString("spec_hash")));
              return List.copyOf(wanted.values());
            });
  }

  /** Each point's baseline that is not itself a point of the sweep, keyed by its spec hash. */
  private Map<String, JsonObject> missingBaselines(List<JsonObject> points) {
    Set<String> inSweep = new HashSet<>();
    points.forEach(p -> inSweep.add(baselines.specHash(p)));
    Map<String, JsonObject> wanted = new LinkedHashMap<>();
    for (JsonObject point : points) {
      Baselines.baselineOf(point)
          .ifPresent(
              b -> {
                String hash = baselines.specHash(b);
                if (!inSweep.contains(hash)) {
                  wanted.putIfAbsent(hash, b);
                }
              });
    }
    return wanted;
  }

  private Future<Void> insertTrials(
      SqlConnection conn, long sweepId, SweepSpec spec, List<JsonObject> points) {
    List<Tuple> trials = new ArrayList<>();
    for (JsonObject params : points) {
      trials.add(
          Tuple.of(
              sweepId,
              params,
              ParamsHash.of(params),
              spec.priority(),
              spec.maxAttempts(),
              baselines.specHash(params)));
    }
    return conn.preparedQuery(INSERT_TRIAL)
        .executeBatch(trials)
        .compose(done -> conn.query("NOTIFY cliplab_trials").execute())
        .mapEmpty();
  }

  /** A sweep with its trials and a count of trials per state; empty when there is no such sweep. */
  public Future<Optional<JsonObject>> find(long id) {
    return pool.preparedQuery(SELECT_SWEEP)
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.empty());
              }
              JsonObject sweep = sweepJson(rows.iterator().next());
              return pool.preparedQuery(SELECT_TRIALS)
                  .execute(Tuple.of(id))
                  .map(trials -> Optional.of(withTrials(sweep, trials)));
            });
  }

  /** The newest sweeps first, a page at a time. */
  public Future<JsonArray> list(int limit, int offset) {
    return pool.preparedQuery(LIST_SWEEPS)
        .execute(Tuple.of(limit, offset))
        .map(
            rows -> {
              JsonArray out = new JsonArray();
              for (Row row : rows) {
                out.add(
                    new JsonObject()
                        .put("id", row.getLong("id"))
                        .put("name", row.getString("name"))
                        .put("created_at", Rows.time(row, "created_at"))
                        .put("trials", row.getLong("trials"))
                        .put("active", row.getLong("active")));
              }
              return out;
            });
  }

  private static JsonObject sweepJson(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("spec", row.getJsonObject("spec"))
        .put("created_at", Rows.time(row, "created_at"));
  }

  private static JsonObject withTrials(JsonObject sweep, RowSet<Row> rows) {
    JsonArray trials = new JsonArray();
    JsonObject counts = new JsonObject();
    for (Row row : rows) {
      String status = row.getString("status");
      counts.put(status, counts.getInteger(status, 0) + 1);
      trials.add(
          new JsonObject()
              .put("id", row.getLong("id"))
              .put("params", row.getJsonObject("params"))
              .put("status", status)
              .put("attempt", row.getInteger("attempt"))
              .put("error", row.getString("error"))
              .put("started_at", Rows.time(row, "started_at"))
              .put("finished_at", Rows.time(row, "finished_at")));
    }
    boolean done = !counts.containsKey("queued") && !counts.containsKey("running");
    return sweep
        .put("status", done ? "finished" : "active")
        .put("counts", counts)
        .put("trials", trials);
  }
}
