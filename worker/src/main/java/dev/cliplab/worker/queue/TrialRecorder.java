package dev.cliplab.worker.queue;

import dev.cliplab.worker.train.TrainingListener;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Collects what a training thread reports for one claimed trial and writes it to the database in
 * batches from the event loop: metrics by count and by time, evaluations and checkpoints as they
 * come. The training thread waits for the database only at an asha sweep's rungs, where the answer
 * decides whether it goes on.
 */
final class TrialRecorder implements TrainingListener {

  private record Checkpoint(int epoch, long step, Path file) {}

  private record Details(String phase, JsonObject report) {}

  private final TrialQueue queue;
  private final ClaimedTrial trial;
  private final ConcurrentLinkedQueue<MetricPoint> metrics = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<EvaluationResult> evaluations = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Checkpoint> checkpoints = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Details> details = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AshaGate asha;
  private Future<Void> lastFlush = Future.succeededFuture();

  TrialRecorder(TrialQueue queue, AshaRungs rungs, ClaimedTrial trial) {
    this.queue = queue;
    this.trial = trial;
    this.asha = new AshaGate(rungs, trial, this::requestStop);
  }

  @Override
  public void metric(String name, long step, double value) {
    metrics.add(new MetricPoint(name, step, value));
  }

  @Override
  public void evaluation(String phase, String task, String metric, double value) {
    evaluations.add(new EvaluationResult(phase, task, metric, value));
  }

  @Override
  public void evaluationDetails(String phase, JsonObject report) {
    details.add(new Details(phase, report));
  }

  @Override
  public void checkpoint(int epoch, long step, Path file) {
    checkpoints.add(new Checkpoint(epoch, step, file));
  }

  @Override
  public boolean stopRequested() {
    return stop.get();
  }

  @Override
  public boolean continueAfterEpoch(int epoch, long step, double epochLoss) {
    return asha.continueAfterEpoch(epoch, epochLoss);
  }

  /**
   * Asks the training loop to stop at its next step (the lease was lost, or the trial cancelled).
   */
  void requestStop() {
    stop.set(true);
  }

  int pendingMetrics() {
    return metrics.size();
  }

  /**
   * Writes everything collected so far; flushes run one after another, never overlapping. Must be
   * called on the verticle's event loop.
   */
  Future<Void> flush() {
    lastFlush = lastFlush.transform(ignored -> writePending());
    return lastFlush;
  }

  private Future<Void> writePending() {
    List<MetricPoint> points = drain(metrics);
    List<EvaluationResult> results = drain(evaluations);
    List<Checkpoint> saved = drain(checkpoints);
    List<Details> explained = drain(details);
    Future<?> chain = queue.recordMetrics(trial, points);
    if (!results.isEmpty()) {
      chain = chain.compose(n -> queue.recordEvaluations(trial, results));
    }
    for (Details d : explained) {
      chain = chain.compose(n -> queue.recordEvaluationDetails(trial, d.phase(), d.report()));
    }
    for (Checkpoint c : saved) {
      chain =
          chain.compose(
              n -> queue.recordCheckpoint(trial, c.epoch(), c.step(), c.file().toString()));
    }
    return chain.mapEmpty();
  }

  private static <T> List<T> drain(ConcurrentLinkedQueue<T> source) {
    List<T> out = new ArrayList<>();
    for (T item = source.poll(); item != null; item = source.poll()) {
      out.add(item);
    }
    return out;
  }
}
