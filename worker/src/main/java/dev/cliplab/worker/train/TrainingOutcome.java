package dev.cliplab.worker.train;

/**
 * How a training run ended.
 *
 * @param status {@code "succeeded"}, {@code "diverged"}, {@code "stopped"} or {@code "pruned"}
 * @param steps optimiser steps taken
 * @param finalLoss the loss of the last step taken (NaN if none)
 * @param message a sentence for people, e.g. the step at which the loss diverged
 */
public record TrainingOutcome(String status, long steps, double finalLoss, String message) {

  /** The run finished all its epochs. */
  public static final String SUCCEEDED = "succeeded";

  /** The loss became NaN or infinite. */
  public static final String DIVERGED = "diverged";

  /** The listener asked the run to stop. */
  public static final String STOPPED = "stopped";

  /** The listener ended the run at an epoch's end (early stopping). */
  public static final String PRUNED = "pruned";
}
