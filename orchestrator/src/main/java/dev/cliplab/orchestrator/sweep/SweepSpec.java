package dev.cliplab.orchestrator.sweep;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated sweep: a name, the values each swept parameter takes, settings fixed for every trial,
 * how its points are chosen and how its trials are queued.
 *
 * @param name a label for people
 * @param grid parameter name to the values it takes, in the order the spec gave them
 * @param fixed settings shared by every trial
 * @param priority higher runs first
 * @param maxAttempts how many times a trial may be claimed before it fails
 * @param baselines whether to queue each point's CLIP baseline when no trial has its parameters
 * @param search how points are chosen: {@code grid}, {@code random} or {@code asha}
 * @param maxConcurrent the most trials of this sweep that run at once; null for no limit
 * @param metric the metric the sweep optimises; null when the spec names none
 * @param goal {@code maximize} or {@code minimize}; null when there is no metric
 */
public record SweepSpec(
    String name,
    JsonObject grid,
    JsonObject fixed,
    int priority,
    int maxAttempts,
    boolean baselines,
    String search,
    Integer maxConcurrent,
    String metric,
    String goal) {

  /** Reads a spec that has already passed {@link SpecValidator}. */
  static SweepSpec of(JsonObject json) {
    JsonObject metric = json.getJsonObject("metric");
    return new SweepSpec(
        json.getString("name"),
        json.getJsonObject("parameters", new JsonObject()),
        json.getJsonObject("fixed", new JsonObject()),
        json.getInteger("priority", 0),
        json.getInteger("max_attempts", 3),
        json.getBoolean("baselines", false),
        json.getString("search", "grid"),
        json.getInteger("max_concurrent"),
        metric == null ? null : metric.getString("name"),
        metric == null ? null : metric.getString("goal", "maximize"));
  }

  /** The number of trials the sweep makes, before baselines. */
  public long size() {
    long n = 1;
    for (String key : grid.fieldNames()) {
      n *= grid.getJsonArray(key).size();
    }
    return n;
  }

  /**
   * Every point merged over the fixed settings. For a grid, in row-major order: the first parameter
   * varies slowest.
   */
  public List<JsonObject> expand() {
    List<JsonObject> points = new ArrayList<>();
    points.add(fixed.copy());
    for (String key : grid.fieldNames()) {
      JsonArray values = grid.getJsonArray(key);
      List<JsonObject> next = new ArrayList<>(points.size() * values.size());
      for (JsonObject point : points) {
        for (Object value : values) {
          next.add(point.copy().put(key, value));
        }
      }
      points = next;
    }
    return points;
  }
}
