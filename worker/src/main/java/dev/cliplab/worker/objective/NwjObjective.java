package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;

/**
 * The Nguyen–Wainwright–Jordan (f-divergence, "MINE-f") bound: loss = −(mean s⁺ − mean over
 * negatives of exp(s⁻ − 1)); the estimate is −loss.
 *
 * <p>The mean of exponentials is taken as exp(logMeanExp(s⁻) − 1), so one large negative score does
 * not overflow where the mean itself fits the data type.
 */
final class NwjObjective extends MiObjective {

  static final String NAME = "nwj";

  NwjObjective(int negatives) {
    super(NAME, negatives);
  }

  @Override
  NDArray bound(CriticPairs pairs) {
    NDArray partition = CriticPairs.logMeanExp(pairs.rowNegatives()).sub(1).exp();
    return partition.sub(pairs.positives().mean());
  }
}
