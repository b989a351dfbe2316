package dev.cliplab.worker.cli;

import dev.cliplab.worker.train.TrainingOutcome;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files a run without the platform leaves behind: {@code metrics.csv} ({@code
 * step,name,value}), appended to, since a resumed run never reports a step twice; {@code
 * evaluations.csv} ({@code phase,task,metric,value}), one row per result, a repeated evaluation
 * replacing the earlier value; and {@code outcome.json}.
 */
final class RunFiles implements AutoCloseable {

  static final String METRICS = "metrics.csv";
  static final String EVALUATIONS = "evaluations.csv";
  static final String OUTCOME = "outcome.json";

  private static final String EVALUATIONS_HEADER = "phase,task,metric,value";

  private final Path dir;
  private final BufferedWriter metrics;
  private final Map<String, String> evaluations;

  private RunFiles(Path dir, BufferedWriter metrics, Map<String, String> evaluations) {
    this.dir = dir;
    this.metrics = metrics;
    this.evaluations = evaluations;
  }

  static RunFiles create(Path dir) throws IOException {
    Path file = dir.resolve(METRICS);
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    BufferedWriter metrics =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      metrics.write("step,name,value");
      metrics.newLine();
    }
    return new RunFiles(dir, metrics, readEvaluations(dir.resolve(EVALUATIONS)));
  }

  /** The rows already written, keyed by phase, task and metric. */
  private static Map<String, String> readEvaluations(Path file) throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int lastComma = line.lastIndexOf(',');
        if (!line.equals(EVALUATIONS_HEADER) && lastComma > 0) {
          rows.put(line.substring(0, lastComma), line);
        }
      }
    }
    return rows;
  }

  void metric(String name, long step, double value) {
    try {
      metrics.write(String.format(Locale.ROOT, "%d,%s,%s", step, name, value));
      metrics.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void evaluation(String phase, String task, String metric, double value) {
    String key = String.join(",", phase, task, metric);
    evaluations.put(key, key + "," + value);
    List<String> lines = new ArrayList<>();
    lines.add(EVALUATIONS_HEADER);
    lines.addAll(evaluations.values());
    try {
      Files.write(dir.resolve(EVALUATIONS), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void flushMetrics() {
    try {
      metrics.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeOutcome(TrainingOutcome outcome) throws IOException {
    JsonObject json =
        new JsonObject()
            .put("status", outcome.status())
            .put("steps", outcome.steps())
            .put("final_loss", Double.isFinite(outcome.finalLoss()) ? outcome.finalLoss() : null)
            .put("message", outcome.message());
    Files.writeString(dir.resolve(OUTCOME), json.encodePrettily());
  }

  @Override
  public void close() throws IOException {
    metrics.close();
  }
}
