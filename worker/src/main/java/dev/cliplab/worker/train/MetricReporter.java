package dev.cliplab.worker.train;

import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.objective.MiObjective;

/**
 * Reports a run's training metrics every {@link #EVERY} steps and at its last: the loss, the MI
 * estimate its bound implies, the prior term when there is one, the critic's temperature, the
 * learning rate and the images per second since the previous report; and at each epoch's last step
 * {@code epoch_loss}, the mean loss over the epoch's steps.
 */
final class MetricReporter {

  /** Metrics are reported every this many steps, and at the last step. */
  static final int EVERY = 10;

  private final TrainingListener listener;
  private final MiObjective objective;
  private final ClipLiteModel network;
  private final WarmupCosineSchedule schedule;
  private final long batchSize;
  private long started = System.nanoTime();
  private long images;
  private EpochLoss epochLoss = new EpochLoss();

  MetricReporter(
      TrainingListener listener,
      MiObjective objective,
      ClipLiteModel network,
      WarmupCosineSchedule schedule,
      long batchSize) {
    this.listener = listener;
    this.objective = objective;
    this.network = network;
    this.schedule = schedule;
    this.batchSize = batchSize;
  }

  /** Counts one step's images and reports when the step is due. */
  void stepDone(long step, StepRunner runner, double loss, boolean last) {
    images += batchSize;
    epochLoss.add(loss);
    if (step % EVERY != 0 && !last) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    listener.metric("loss", step, loss);
    listener.metric("mi_estimate", step, objective.miEstimate(runner.lastBoundLoss(), batchSize));
    if (!Double.isNaN(runner.lastPrior())) {
      listener.metric("prior", step, runner.lastPrior());
    }
    listener.metric("temperature", step, network.temperature());
    listener.metric("learning_rate", step, schedule.getNewValue(Math.toIntExact(step)));
    listener.metric("images_per_sec", step, images / seconds);
    restartClock();
  }

  /**
   * Reports {@code epoch_loss} at the epoch's last step and starts the next epoch.
   *
   * @return the epoch's mean loss
   */
  double epochDone(long step) {
    double mean = epochLoss.close();
    listener.metric("epoch_loss", step, mean);
    return mean;
  }

  /** The epoch's running loss, for a checkpoint. */
  EpochLoss epochLoss() {
    return epochLoss;
  }

  /** Continues an epoch from a checkpoint's running loss. */
  void resume(EpochLoss restored) {
    this.epochLoss = restored;
  }

  /** Starts measuring throughput afresh, e.g. after an evaluation or a checkpoint. */
  void restartClock() {
    started = System.nanoTime();
    images = 0;
  }
}
