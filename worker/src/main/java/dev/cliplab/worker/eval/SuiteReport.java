package dev.cliplab.worker.eval;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run of the evaluation suite found, task by task.
 *
 * @param tasks one report per task asked for, in the order asked
 */
public record SuiteReport(List<TaskReport> tasks) {

  /** Copies the list so that the record stays immutable. */
  public SuiteReport {
    tasks = List.copyOf(tasks);
  }

  /** Returns every (task, metric, value) of the tasks that ran. */
  public List<EvalResult> results() {
    return tasks.stream().flatMap(t -> t.metrics().stream()).toList();
  }

  /** Returns the tasks that were skipped, each with the reason. */
  public Map<String, String> skipped() {
    Map<String, String> out = new LinkedHashMap<>();
    tasks.forEach(t -> t.skipped().ifPresent(reason -> out.put(t.task(), reason)));
    return out;
  }

  /** Returns the report as JSON: per task, in order, its metrics, details and skip reason. */
  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    for (TaskReport task : tasks) {
      JsonObject metrics = new JsonObject();
      task.metrics().forEach(m -> metrics.put(m.metric(), TaskReport.jsonNumber(m.value())));
      JsonObject entry = new JsonObject().put("metrics", metrics).put("details", task.details());
      task.skipped().ifPresent(reason -> entry.put("skipped", reason));
      out.put(task.task(), entry);
    }
    return out;
  }
}
