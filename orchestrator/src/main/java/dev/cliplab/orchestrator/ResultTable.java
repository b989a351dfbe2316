package dev.cliplab.orchestrator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a sweep's trials as a table: one row per trial after training and one for the same model
 * untrained, so every metric can be read against its starting point.
 */
final class ResultTable {

  /** The columns after the trial's own: label, evaluation phase key, task, metric. */
  private record Column(String label, String task, String metric) {}

  private static final String VOC = "voc_emoji";
  private static final String ZERO_SHOT = "zeroshot_emoji_groups";
  private static final String RETRIEVAL = "retrieval_heldout";
  private static final List<Column> COLUMNS =
      List.of(
          new Column("VOC-mAP", VOC, "map"),
          new Column("zs-top1", ZERO_SHOT, "top1"),
          new Column("i2t-R@1", RETRIEVAL, "i2t_r1"),
          new Column("i2t-R@5", RETRIEVAL, "i2t_r5"),
          new Column("i2t-R@10", RETRIEVAL, "i2t_r10"),
          new Column("t2i-R@1", RETRIEVAL, "t2i_r1"),
          new Column("t2i-R@5", RETRIEVAL, "t2i_r5"),
          new Column("t2i-R@10", RETRIEVAL, "t2i_r10"));

  private final List<String> lines = new ArrayList<>();
  private boolean allBeatUntrained = true;

  /**
   * Adds a trial.
   *
   * @param trial the trial as {@code GET /api/trials/{id}} returns it
   * @param lossSeries its loss history as {@code [step, value]} pairs
   */
  void add(JsonObject trial, JsonArray lossSeries) {
    JsonObject params = trial.getJsonObject("params");
    JsonObject evals = trial.getJsonObject("evaluations", new JsonObject());
    JsonObject trained = evals.getJsonObject("final", new JsonObject());
    JsonObject untrained = evals.getJsonObject("untrained", new JsonObject());
    JsonObject latest = trial.getJsonObject("latest_metrics", new JsonObject());
    Object loss =
        latest.containsKey("loss") ? latest.getJsonObject("loss").getValue("value") : null;
    Object firstLoss = lossSeries.isEmpty() ? null : lossSeries.getJsonArray(0).getValue(1);

    List<String> beaten = new ArrayList<>();
    StringBuilder row = new StringBuilder();
    row.append(
        String.format(
            "%-6d %-9s %6s %-10s %-10s %8s",
            trial.getLong("id"),
            params.getString("objective"),
            params.getValue("batch_size"),
            trial.getString("status"),
            "trained",
            fmt(loss)));
    StringBuilder base = new StringBuilder();
    base.append(
        String.format(
            "%-6s %-9s %6s %-10s %-10s %8s", "", "", "", "", "untrained", fmt(firstLoss)));
    for (Column c : COLUMNS) {
      Double now = value(trained, c);
      Double before = value(untrained, c);
      row.append(String.format(" %8s", fmt(now)));
      base.append(String.format(" %8s", fmt(before)));
      if (now == null || before == null || now <= before) {
        beaten.add(c.label());
      }
    }
    row.append(beaten.isEmpty() ? "  yes" : "  NO: " + String.join(", ", beaten));
    allBeatUntrained &= beaten.isEmpty() && "succeeded".equals(trial.getString("status"));
    lines.add(row.toString());
    lines.add(base.toString());
  }

  /** Whether every trial succeeded and beat its untrained model on every evaluation metric. */
  boolean allBeatUntrained() {
    return allBeatUntrained;
  }

  void print(PrintStream out) {
    StringBuilder header = new StringBuilder();
    header.append(
        String.format(
            "%-6s %-9s %6s %-10s %-10s %8s",
            "trial", "objective", "batch", "status", "model", "loss"));
    COLUMNS.forEach(c -> header.append(String.format(" %8s", c.label())));
    header.append("  above untrained?");
    out.println(header);
    out.println("-".repeat(header.length()));
    lines.forEach(out::println);
  }

  private static Double value(JsonObject phase, Column c) {
    JsonObject task = phase.getJsonObject(c.task());
    Object v = task == null ? null : task.getValue(c.metric());
    return v instanceof Number n ? n.doubleValue() : null;
  }

  private static String fmt(Object value) {
    if (value instanceof Number n) {
      return String.format("%.4f", n.doubleValue());
    }
    return value == null ? "-" : value.toString();
  }
}
