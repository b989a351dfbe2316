package dev.cliplab.worker.cli;

import dev.cliplab.worker.train.TrainSpec;
import dev.cliplab.worker.train.TrainingListener;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Writes a run's reports to its files and prints a progress line at most every few seconds, every
 * evaluation and every checkpoint; Ctrl-C asks the run to stop at its next step.
 */
final class ConsoleProgress implements TrainingListener {

  private static final long PRINT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final RunFiles files;
  private final TrainSpec spec;
  private final Map<String, Double> latest = new LinkedHashMap<>();
  private long lastPrinted = System.nanoTime();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stop;

  ConsoleProgress(RunFiles files, TrainSpec spec) {
    this.files = files;
    this.spec = spec;
  }

  /**
   * Makes Ctrl-C (or SIGTERM) stop the run at its next step and holds the JVM until {@link
   * #finished()} is called, so the run's files are complete when it exits.
   */
  void stopOnShutdown() {
    Thread hook =
        new Thread(
            () -> {
              stop = true;
              try {
                finished.await(2, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "cliplab-train-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Tells a waiting shutdown hook that the run's files are written. */
  void finished() {
    finished.countDown();
  }

  @Override
  public void metric(String name, long step, double value) {
    files.metric(name, step, value);
    latest.put(name, value);
    if (System.nanoTime() - lastPrinted >= PRINT_EVERY_NANOS && "images_per_sec".equals(name)) {
      lastPrinted = System.nanoTime();
      files.flushMetrics();
      System.out.printf(
          Locale.ROOT,
          "step %d  loss %.4f  mi %.4f  temperature %.4f  lr %.2e  %.0f img/s%n",
          step,
          latest.getOrDefault("loss", Double.NaN),
          latest.getOrDefault("mi_estimate", Double.NaN),
          latest.getOrDefault("temperature", Double.NaN),
          latest.getOrDefault("learning_rate", Double.NaN),
          value);
    }
  }

  @Override
  public void evaluation(String phase, String task, String metric, double value) {
    files.evaluation(phase, task, metric, value);
    System.out.printf(Locale.ROOT, "%-9s %s %s = %.4f%n", phase, task, metric, value);
  }

  @Override
  public void checkpoint(int epoch, long step, Path file) {
    files.flushMetrics();
    System.out.printf(
        Locale.ROOT, "epoch %d/%d done at step %d: %s%n", epoch, spec.epochs(), step, file);
  }

  @Override
  public boolean stopRequested() {
    return stop;
  }
}
