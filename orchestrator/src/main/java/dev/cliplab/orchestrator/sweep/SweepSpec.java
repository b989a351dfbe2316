package dev.cliplab.orchestrator.sweep;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated sweep: a name, a grid of parameter values, settings fixed for every trial, and how
 * its trials are queued.
 *
 * @param name a label for people
 * @param grid parameter name to the values it takes, in the order the spec gave them
 * @param fixed settings shared by every trial
 * @param priority higher runs first
 * @param maxAttempts how many times a trial may be claimed before it fails
 * @param baselines whether to queue each point's CLIP baseline when no trial has its parameters
 */
public record SweepSpec(
    String name,
    JsonObject grid,
    JsonObject fixed,
    int priority,
    int maxAttempts,
    boolean baselines) {

  /** Reads a spec that has already passed {@link SpecValidator}. */
  static SweepSpec of(JsonObject json) {
    return new SweepSpec(
        json.getString("name"),
        json.getJsonObject("parameters", new JsonObject()),
        json.getJsonObject("fixed", new JsonObject()),
        json.getInteger("priority", 0),
        json.getInteger("max_attempts", 3),
        json.getBoolean("baselines", false));
  }

  /** The number of trials the grid makes: the product of the value counts. */
  public long size() {
    long n = 1;
    for (String key : grid.fieldNames()) {
      n *= grid.getJsonArray(key).size();
    }
    return n;
  }

  /**
   * Every grid point merged over the fixed settings, in row-major order: the first parameter varies
   * slowest.
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
