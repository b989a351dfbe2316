package dev.cliplab.worker.train;

import io.vertx.core.json.JsonObject;

/**
 * The mean training loss over an epoch, kept as a running sum so that it survives a checkpoint: a
 * run resumed in the middle of an epoch reports the mean over every step of that epoch, those
 * before the stop included.
 */
final class EpochLoss {

  private double sum;
  private int steps;
  private double lastMean = Double.NaN;

  /** Adds one step's loss to the epoch in progress. */
  void add(double loss) {
    sum += loss;
    steps++;
  }

  /** Ends the epoch: returns the mean of its steps' losses (NaN if none) and starts the next. */
  double close() {
    lastMean = steps == 0 ? Double.NaN : sum / steps;
    sum = 0;
    steps = 0;
    return lastMean;
  }

  /** The mean of the last epoch closed, NaN before the first. */
  double lastMean() {
    return lastMean;
  }

  /** The running state, for a checkpoint's {@code state.json}. */
  JsonObject toJson() {
    return new JsonObject()
        .put("sum", sum)
        .put("steps", steps)
        .put("last_mean", Double.isFinite(lastMean) ? lastMean : null);
  }

  /** Restores the state {@link #toJson()} wrote; a checkpoint without it starts from nothing. */
  static EpochLoss fromJson(JsonObject json) {
    EpochLoss loss = new EpochLoss();
    if (json != null) {
      loss.sum = json.getDouble("sum", 0.0);
      loss.steps = json.getInteger("steps", 0);
      Double last = json.getDouble("last_mean");
      loss.lastMean = last == null ? Double.NaN : last;
    }
    return loss;
  }
}
