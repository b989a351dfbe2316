package dev.cliplab.worker.queue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How an asha sweep stops its trials early (asynchronous successive halving, Li et al. 2020): rungs
 * at {@code minEpochs * reductionFactor^k} epochs, and at each rung the rule that promotes a trial
 * only when it ranks in the top {@code 1 / reductionFactor} of the results the rung holds.
 *
 * @param reductionFactor eta: a rung keeps one in this many of the trials that reach it
 * @param minEpochs the epochs of rung 0
 * @param metric the metric trials are ranked by; only {@code epoch_loss} is recorded at epoch ends
 * @param maximize whether a higher value ranks better
 */
record AshaPlan(int reductionFactor, int minEpochs, String metric, boolean maximize) {

  /** The metric recorded at every epoch's end, and the only one rungs can be judged on. */
  static final String EPOCH_LOSS = "epoch_loss";

  AshaPlan {
    if (reductionFactor < 2 || minEpochs < 1) {
      throw new IllegalArgumentException(
          "asha needs reduction_factor >= 2 and min_epochs >= 1, got "
              + reductionFactor
              + " and "
              + minEpochs);
    }
  }

  /**
   * The plan of a sweep from its stored spec and metric columns; empty unless its search is {@code
   * asha}. Absent settings take the spec's defaults: reduction factor 3, one epoch at rung 0, and
   * {@code epoch_loss} minimised.
   */
  static Optional<AshaPlan> ofSweep(JsonObject spec, String metric, String goal) {
    if (spec == null || !"asha".equals(spec.getString("search"))) {
      return Optional.empty();
    }
    JsonObject asha = spec.getJsonObject("asha", new JsonObject());
    String name = metric == null ? EPOCH_LOSS : metric;
    boolean maximize = goal == null ? !EPOCH_LOSS.equals(name) : "maximize".equals(goal);
    return Optional.of(
        new AshaPlan(
            asha.getInteger("reduction_factor", 3),
            asha.getInteger("min_epochs", 1),
            name,
            maximize));
  }

  /**
   * The rung a trial of {@code totalEpochs} epochs reaches at the end of {@code epoch}; empty when
   * the epoch is no rung. Rungs lie below the trial's epochs: a trial that trains to its end has
   * nothing left to save.
   */
  OptionalInt rungAt(int epoch, int totalEpochs) {
    long epochs = minEpochs;
    for (int k = 0; epochs < totalEpochs; k++) {
      if (epochs == epoch) {
        return OptionalInt.of(k);
      }
      epochs *= reductionFactor;
    }
    return OptionalInt.empty();
  }

  /**
   * The asynchronous promotion rule: with {@code n} results at the rung, this one included, the
   * trial is promoted when fewer than {@code floor(n / reductionFactor)} of the others are strictly
   * better. With fewer than {@code reductionFactor} results nobody is promotable yet, so the trial
   * stops: a trial cannot wait at a rung for later arrivals the way a paused configuration does in
   * the paper, and stopping is the paper's answer for a configuration that is not promotable.
   *
   * @param value this trial's value at the rung
   * @param others the values the rung held before it
   * @return whether the trial is promoted
   */
  boolean promotes(double value, List<Double> others) {
    int quota = (others.size() + 1) / reductionFactor;
    long better = others.stream().filter(other -> isBetter(other, value)).count();
    return better < quota;
  }

  private boolean isBetter(double a, double b) {
    return maximize ? a > b : a < b;
  }
}
