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
import java.util.Locale;

/**
 * The files a run without the platform leaves behind: {@code metrics.csv} ({@code
 * step,name,value}), {@code evaluations.csv} ({@code phase,task,metric,value}) and {@code
 * outcome.json}; the two tables are appended to, so a resumed run continues them.
 */
final class RunFiles implements AutoCloseable {

  static final String METRICS = "metrics.csv";
  static final String EVALUATIONS = "evaluations.csv";
  static final String OUTCOME = "outcome.json";

  private final Path dir;
  private final BufferedWriter metrics;
  private final BufferedWriter evaluations;

  private RunFiles(Path dir, BufferedWriter metrics, BufferedWriter evaluations) {
    this.dir = dir;
    this.metrics = metrics;
    this.evaluations = evaluations;
  }

  static RunFiles create(Path dir) throws IOException {
    BufferedWriter metrics = open(dir.resolve(METRICS), "step,name,value");
    try {
      return new RunFiles(dir, metrics, open(dir.resolve(EVALUATIONS), "phase,task,metric,value"));
    } catch (IOException | RuntimeException e) {
      metrics.close();
      throw e;
    }
  }

  private static BufferedWriter open(Path file, String header) throws IOException {
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    BufferedWriter writer =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      writer.write(header);
      writer.newLine();
    }
    return writer;
  }

  void metric(String name, long step, double value) {
    line(metrics, String.format(Locale.ROOT, "%d,%s,%s", step, name, value));
  }

  void evaluation(String phase, String task, String metric, double value) {
    line(evaluations, String.format(Locale.ROOT, "%s,%s,%s,%s", phase, task, metric, value));
    flush(evaluations);
  }

  void flushMetrics() {
    flush(metrics);
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

  private static void line(BufferedWriter writer, String text) {
    try {
      writer.write(text);
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flush(BufferedWriter writer) {
    try {
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try (metrics;
        evaluations) {
      metrics.flush();
      evaluations.flush();
    }
  }
}
