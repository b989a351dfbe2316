package dev.cliplab.orchestrator.store;

import dev.cliplab.orchestrator.sweep.ParamsHash;
import dev.cliplab.orchestrator.sweep.SweepSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(SweepStore.class);

  /** A sweep of at least this many trials refreshes the trials table's statistics. */
  static final int ANALYZE_AFTER_TRIALS = 1_000;

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
                        }))
        .onSuccess(created -> refreshStatistics(created.getInteger("trials")));
  }

  /**
   * After a large sweep, refreshes the planner's statistics of the trials table, so that claims
   * keep their index plan: on a table whose statistics predate thousands of new queued rows, 16
   * claimers made about 320 claims a second instead of about 2,600. Autovacuum would catch up
   * within minutes; the sweep's first trials should not wait for it.
   */
  private void refreshStatistics(int trials) {
    if (trials < ANALYZE_AFTER_TRIALS) {
      return;
    }
    pool.query("ANALYZE trials")
        .execute()
        .onFailure(err -> LOG.warn("Refreshing the trials table's statistics failed", err));
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
}
