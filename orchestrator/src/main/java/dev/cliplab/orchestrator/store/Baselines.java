package dev.cliplab.orchestrator.store;

import dev.cliplab.orchestrator.sweep.ParamsHash;
import dev.cliplab.worker.train.TrainSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * Finds a trial's CLIP baseline: the same configuration with the {@code infonce} bound and all
 * in-batch negatives, among every succeeded trial of every sweep, matched on the hash of the
 * trainer's canonical parameters together with the corpus and code version the platform runs, so a
 * baseline trained on other data or by another version is never taken for this one.
 */
public final class Baselines {

  private static final String NEWEST_SUCCEEDED =
      """
      SELECT id FROM trials WHERE spec_hash = $1 AND status = 'succeeded'
      ORDER BY id DESC LIMIT 1""";

  private static final JsonObject CLIP =
      new JsonObject().put("objective", "infonce").put("negatives", "all");

  private final Pool pool;
  private final JsonObject identity;

  /**
   * Creates the lookup.
   *
   * @param pool the database
   * @param dataVersion identifies the corpus trials train on, e.g. its manifest's checksum
   * @param codeVersion identifies the cliplab version that trains them
   */
  public Baselines(Pool pool, String dataVersion, String codeVersion) {
    this.pool = pool;
    this.identity = new JsonObject().put("data", dataVersion).put("code", codeVersion);
  }

  /**
   * The hash of a trial's parameters with every default resolved, the corpus and the code version.
   *
   * @param params the trial's parameters as its sweep gave them
   * @return the hex SHA-256
   */
  public String specHash(JsonObject params) {
    return ParamsHash.of(identity.copy().put("params", TrainSpec.fromJson(params).toJson()));
  }

  /**
   * The parameters of a trial's baseline.
   *
   * @param params the trial's parameters
   * @return the baseline's canonical parameters, or empty when the trial is a CLIP baseline itself
   */
  public static Optional<JsonObject> baselineOf(JsonObject params) {
    TrainSpec spec = TrainSpec.fromJson(params);
    TrainSpec baseline = spec.with(CLIP);
    return baseline.equals(spec) ? Optional.empty() : Optional.of(baseline.toJson());
  }

  /**
   * The newest succeeded trial run with the given canonical parameters.
   *
   * @param canonical parameters as {@link #baselineOf} gives them
   * @return its id, or empty when none has succeeded
   */
  public Future<Optional<Long>> find(JsonObject canonical) {
    return pool.preparedQuery(NEWEST_SUCCEEDED)
        .execute(Tuple.of(specHash(canonical)))
        .map(Baselines::firstId);
  }

  private static Optional<Long> firstId(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id"));
  }

  /**
   * Each evaluation of a trial beside its baseline's: {@code {phase: {task: {metric: {value,
   * baseline, difference}}}}}, for the metrics both have.
   *
   * @param trial the trial's evaluations, nested as phase, task, metric
   * @param baseline the baseline's, nested the same way
   * @return the comparison
   */
  public static JsonObject compare(JsonObject trial, JsonObject baseline) {
    JsonObject out = new JsonObject();
    for (String phase : trial.fieldNames()) {
      JsonObject theirs = baseline.getJsonObject(phase, new JsonObject());
      for (String task : trial.getJsonObject(phase).fieldNames()) {
        JsonObject mine = trial.getJsonObject(phase).getJsonObject(task);
        JsonObject other = theirs.getJsonObject(task, new JsonObject());
        for (String metric : mine.fieldNames()) {
          if (mine.getValue(metric) instanceof Number a
              && other.getValue(metric) instanceof Number b) {
            child(child(out, phase), task)
                .put(
                    metric,
                    new JsonObject()
                        .put("value", a.doubleValue())
                        .put("baseline", b.doubleValue())
                        .put("difference", a.doubleValue() - b.doubleValue()));
          }
        }
      }
    }
    return out;
  }

  private static JsonObject child(JsonObject parent, String key) {
    JsonObject child = parent.getJsonObject(key);
    if (child == null) {
      child = new JsonObject();
      parent.put(key, child);
    }
    return child;
  }
}
