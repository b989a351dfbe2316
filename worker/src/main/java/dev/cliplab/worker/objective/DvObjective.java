package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;

/**
 * The Donsker–Varadhan bound MINE maximises: loss = −(mean s⁺ − log mean over negatives of
 * exp(s⁻)), the log-mean-exp computed stably; the estimate is −loss.
 */
final class DvObjective extends MiObjective {

  static final String NAME = "dv";

  DvObjective(int negatives) {
    super(NAME, negatives);
  }

  @Override
  NDArray bound(CriticPairs pairs) {
    return CriticPairs.logMeanExp(pairs.rowNegatives()).sub(pairs.positives().mean());
  }
}
