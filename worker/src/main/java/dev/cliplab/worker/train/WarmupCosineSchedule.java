package dev.cliplab.worker.train;

import ai.djl.training.tracker.Tracker;

/**
 * The learning rate at each step: a linear warm-up from 0 to the peak, then a half cosine down to
 * zero at the last step.
 */
public final class WarmupCosineSchedule implements Tracker {

  private final double peak;
  private final int warmupSteps;
  private final int totalSteps;

  /**
   * Creates the schedule.
   *
   * @param peak the learning rate at the end of the warm-up
   * @param warmupSteps steps of linear warm-up
   * @param totalSteps the step at which the rate reaches zero
   */
  public WarmupCosineSchedule(double peak, int warmupSteps, int totalSteps) {
    this.peak = peak;
    this.warmupSteps = Math.min(warmupSteps, totalSteps);
    this.totalSteps = totalSteps;
  }

  /**
   * The learning rate of a step.
   *
   * @param step the step, from 1
   * @return the rate
   */
  @Override
  public float getNewValue(int step) {
    if (step <= warmupSteps) {
      return (float) (peak * step / warmupSteps);
    }
    int decaySteps = totalSteps - warmupSteps;
    double progress = Math.min(1.0, (step - warmupSteps) / (double) decaySteps);
    return (float) (peak * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
