package dev.cliplab.orchestrator.sweep;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated sweep: a name, the domain of each swept parameter, settings fixed for every trial,
 * how its points are chosen, the points themselves, and how its trials are queued.
 *
 * @param name a label for people
 * @param parameters parameter name to its domain, in the order the spec gave them
 * @param fixed settings shared by every trial
 * @param priority higher runs first
 * @param maxAttempts how many times a trial may be claimed before it fails
 * @param baselines whether to queue each point's CLIP baseline when no trial has its parameters
 * @param search how points are chosen: {@code grid}, {@code random} or {@code asha}
 * @param maxConcurrent the most trials of this sweep that run at once; null for no limit
 * @param metric the metric the sweep optimises; null when the spec names none
 * @param goal {@code maximize} or {@code minimize}; null when there is no metric
 * @param maxTrials random and asha: how many points were drawn; grid: the cap, or null
 * @param seed the seed random and asha points were drawn with
 * @param asha the rungs of search asha; null for the other searches
 * @param points every trial's parameters, merged over the fixed settings, in the order to queue
 */
public record SweepSpec(
    String name,
    Map<String, ParameterDomain> parameters,
    JsonObject fixed,
    int priority,
    int maxAttempts,
    boolean baselines,
    String search,
    Integer maxConcurrent,
    String metric,
    String goal,
    Integer maxTrials,
    long seed,
    Asha asha,
    List<JsonObject> points) {

  /**
   * ASHA's rungs: a trial is compared with its peers at {@code minEpochs * reductionFactor^k}
   * epochs, and the best 1 / reductionFactor go on.
   *
   * @param reductionFactor at least 2
   * @param minEpochs the first rung's epoch, at least 1
   */
  public record Asha(int reductionFactor, int minEpochs) {}

  /** Copies the collections. */
  public SweepSpec {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    points = List.copyOf(points);
  }

  /** Reads a spec that has passed {@link SpecValidator}, with the domains and points it made. */
  static SweepSpec of(
      JsonObject json, Map<String, ParameterDomain> parameters, List<JsonObject> points) {
    JsonObject metric = json.getJsonObject("metric");
    String search = json.getString("search", "grid");
    JsonObject asha = json.getJsonObject("asha", new JsonObject());
    return new SweepSpec(
        json.getString("name"),
        parameters,
        json.getJsonObject("fixed", new JsonObject()),
        json.getInteger("priority", 0),
        json.getInteger("max_attempts", 3),
        json.getBoolean("baselines", false),
        search,
        json.getInteger("max_concurrent"),
        metric == null ? null : metric.getString("name"),
        metric == null ? null : metric.getString("goal"),
        json.getInteger("max_trials"),
        json.getLong("seed", 0L),
        "asha".equals(search)
            ? new Asha(asha.getInteger("reduction_factor", 3), asha.getInteger("min_epochs", 1))
            : null,
        points);
  }

  /** The number of trials the sweep makes, before baselines. */
  public long size() {
    return points.size();
  }

  /**
   * Every point merged over the fixed settings. For a grid, in row-major order: the first parameter
   * varies slowest; for random and asha, in the order drawn.
   */
  public List<JsonObject> expand() {
    return points;
  }
}
