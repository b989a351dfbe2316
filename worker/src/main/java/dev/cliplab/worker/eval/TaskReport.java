package dev.cliplab.worker.eval;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one evaluation task.
 *
 * @param task the task's name
 * @param metrics its numbers, in a fixed order; none when skipped
 * @param details what explains the numbers (per-class AP and chosen C, the recipe, the templates,
 *     image counts); JSON-safe, NaN written as null
 * @param skipped why the task did not run (its data is absent), if it did not
 */
public record TaskReport(
    String task, List<EvalResult> metrics, JsonObject details, Optional<String> skipped) {

  /** Copies the metrics so that the record stays immutable. */
  public TaskReport {
    Objects.requireNonNull(task, "task");
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(skipped, "skipped");
  }

  /** A task that did not run, and why. */
  static TaskReport skipped(String task, String reason) {
    return new TaskReport(task, List.of(), new JsonObject(), Optional.of(reason));
  }

  /** A JSON number, or null for NaN and infinities, which JSON cannot hold. */
  static Double jsonNumber(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
