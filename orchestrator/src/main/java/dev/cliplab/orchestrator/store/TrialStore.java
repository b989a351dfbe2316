package dev.cliplab.orchestrator.store;

import dev.cliplab.orchestrator.sweep.ParamsHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** Reads of one trial: its state, its latest metrics, its evaluations and its checkpoints. */
public final class TrialStore {

  private static final String SELECT_TRIAL =
      """
      SELECT id, sweep_id, params, status, attempt, max_attempts, lease_holder, error,
             created_at, started_at, finished_at, runtime
      FROM trials WHERE id = $1""";

  // From the rollups: a metric's newest bucket ends with its latest point, and reading buckets
  // rather than points keeps this cheap for a series of millions.
  private static final String LATEST_METRICS =
      """
      SELECT DISTINCT ON (name) name, last_step AS step, last_value AS value
      FROM metric_rollups WHERE trial_id = $1 ORDER BY name, bucket DESC""";

  // A trial's own evaluations and those its evaluation jobs recorded on its checkpoints.
  private static final String EVALUATIONS =
      """
      SELECT e.phase, e.task, e.metric, e.value
      FROM evaluations e JOIN trials t ON t.id = e.trial_id
      WHERE t.id = $1 OR t.source_trial_id = $1
      ORDER BY e.phase, e.task, e.metric""";

  private static final String REQUEST_EVALUATION =
      """
      INSERT INTO trials
        (sweep_id, params, params_hash, priority, max_attempts, kind, source_trial_id)
      SELECT sweep_id, $2, $3, priority, max_attempts, 'evaluate', id
      FROM trials WHERE id = $1 AND kind = 'train'
        AND EXISTS (SELECT 1 FROM checkpoints c
                    WHERE c.trial_id = $1 AND ($4::int IS NULL OR c.epoch = $4))
      ON CONFLICT (sweep_id, params_hash) DO NOTHING
      RETURNING id""";

  // Details of a trial's own phases and of the phases its evaluation jobs scored.
  private static final String DETAIL_PHASES =
      """
      SELECT d.phase FROM evaluation_details d JOIN trials t ON t.id = d.trial_id
      WHERE t.id = $1 OR t.source_trial_id = $1 ORDER BY d.phase""";

  private static final String DETAILS =
      """
      SELECT d.report FROM evaluation_details d JOIN trials t ON t.id = d.trial_id
      WHERE (t.id = $1 OR t.source_trial_id = $1) AND d.phase = $2""";

  private static final String CHECKPOINTS =
      "SELECT epoch, step, path, created_at FROM checkpoints WHERE trial_id = $1 ORDER BY epoch";

  private final Pool pool;
  private final Baselines baselines;

  public TrialStore(Pool pool, Baselines baselines) {
    this.pool = pool;
    this.baselines = baselines;
  }

  /** A trial with its latest value of each metric, its evaluations and its checkpoints. */
  public Future<Optional<JsonObject>> find(long id) {
    Tuple key = Tuple.of(id);
    return pool.preparedQuery(SELECT_TRIAL)
        .execute(key)
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.empty());
              }
              JsonObject trial = trialJson(rows.iterator().next());
              Future<RowSet<Row>> latest = pool.preparedQuery(LATEST_METRICS).execute(key);
              Future<RowSet<Row>> evals = pool.preparedQuery(EVALUATIONS).execute(key);
              Future<RowSet<Row>> checkpoints = pool.preparedQuery(CHECKPOINTS).execute(key);
              Future<RowSet<Row>> detailed = pool.preparedQuery(DETAIL_PHASES).execute(key);
              return Future.all(latest, evals, checkpoints, detailed)
                  .map(
                      all ->
                          trial
                              .put("latest_metrics", latestJson(latest.result()))
                              .put("evaluations", evaluationsJson(evals.result()))
                              .put("evaluation_details", phasesJson(detailed.result()))
                              .put("checkpoints", checkpointsJson(checkpoints.result())))
                  .compose(this::withBaseline)
                  .map(Optional::of);
            });
  }

  /**
   * Adds {@code baseline}: {@code {"self": true}} for a CLIP baseline; otherwise the baseline's
   * canonical {@code params}, its {@code trial_id} (null when none has succeeded yet) and the
   * {@code comparison} of every evaluation both have, with the difference.
   */
  private Future<JsonObject> withBaseline(JsonObject trial) {
    Optional<JsonObject> params;
    try {
      params = Baselines.baselineOf(trial.getJsonObject("params"));
    } catch (IllegalArgumentException e) {
      // Parameters of an older trainer version: no baseline can be matched to them.
      return Future.succeededFuture(trial.putNull("baseline"));
    }
    if (params.isEmpty()) {
      return Future.succeededFuture(trial.put("baseline", new JsonObject().put("self", true)));
    }
    JsonObject baseline = new JsonObject().put("params", params.get()).putNull("trial_id");
    trial.put("baseline", baseline);
    return baselines
        .find(params.get())
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(trial);
              }
              baseline.put("trial_id", found.get());
              return pool.preparedQuery(EVALUATIONS)
                  .execute(Tuple.of(found.get()))
                  .map(
                      rows ->
                          baseline.put(
                              "comparison",
                              Baselines.compare(
                                  trial.getJsonObject("evaluations"), evaluationsJson(rows))))
                  .map(done -> trial);
            });
  }

  /**
   * Queues a job that scores a stored checkpoint of a training trial with the given evaluations.
   *
   * @param id the training trial
   * @param tasks evaluation task names
   * @param epoch the checkpoint's epoch, null for the latest
   * @return the job's id; empty when the trial is not a training trial, has no such checkpoint yet,
   *     or the same job exists
   */
  public Future<Optional<Long>> requestEvaluation(long id, JsonArray tasks, Integer epoch) {
    JsonObject params =
        new JsonObject()
            .put(
                "evaluate",
                new JsonObject().put("trial", id).put("epoch", epoch).put("tasks", tasks));
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(REQUEST_EVALUATION)
                .execute(Tuple.of(id, params, ParamsHash.of(params), epoch))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.succeededFuture(Optional.<Long>empty())
                            : conn.query("NOTIFY cliplab_trials")
                                .execute()
                                .map(n -> Optional.of(rows.iterator().next().getLong("id")))));
  }

  /**
   * What explains one phase's evaluation results of a trial (per-class AP and chosen costs,
   * recipes, templates, the retrieval gallery); empty when the phase recorded none.
   */
  public Future<Optional<JsonObject>> evaluationDetails(long id, String phase) {
    return pool.preparedQuery(DETAILS)
        .execute(Tuple.of(id, phase))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getJsonObject("report")));
  }

  private static JsonObject trialJson(Row row) {
    return Rows.trial(row)
        .put("sweep_id", row.getLong("sweep_id"))
        .put("max_attempts", row.getInteger("max_attempts"))
        .put("lease_holder", row.getString("lease_holder"))
        .put("runtime", row.getJsonObject("runtime"));
  }

  private static JsonObject latestJson(RowSet<Row> rows) {
    JsonObject out = new JsonObject();
    for (Row row : rows) {
      out.put(
          row.getString("name"),
          new JsonObject()
              .put("step", row.getLong("step"))
              .put("value", Rows.number(row.getDouble("value"))));
    }
    return out;
  }

  /** Evaluations nested as phase, then task, then metric. */
  private static JsonObject evaluationsJson(RowSet<Row> rows) {
    JsonObject out = new JsonObject();
    for (Row row : rows) {
      JsonObject phase = out.getJsonObject(row.getString("phase"));
      if (phase == null) {
        phase = new JsonObject();
        out.put(row.getString("phase"), phase);
      }
      JsonObject task = phase.getJsonObject(row.getString("task"));
      if (task == null) {
        task = new JsonObject();
        phase.put(row.getString("task"), task);
      }
      task.put(row.getString("metric"), Rows.number(row.getDouble("value")));
    }
    return out;
  }

  private static JsonArray phasesJson(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(row -> out.add(row.getString("phase")));
    return out;
  }

  private static JsonArray checkpointsJson(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    for (Row row : rows) {
      out.add(
          new JsonObject()
              .put("epoch", row.getInteger("epoch"))
              .put("step", row.getLong("step"))
              .put("path", row.getString("path"))
              .put("created_at", Rows.time(row, "created_at")));
    }
    return out;
  }
}
