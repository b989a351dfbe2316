package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The positive and negative scores of one batch, read from its (B, B) critic matrix; the negatives
 * of image i are captions i + 1 … i + n (mod B), n ≤ B − 1.
 */
final class CriticPairs {

  private final NDArray scores;
  private final int batch;
  private final int negatives;

  CriticPairs(NDArray scores, int negatives) {
    this.scores = scores;
    this.batch = Math.toIntExact(scores.getShape().get(0));
    this.negatives = negatives;
  }

  /** The negatives per positive, n. */
  int negatives() {
    return negatives;
  }

  /** The matching pairs' scores, shape (B). */
  NDArray positives() {
    return scores.diagonal();
  }

  /** Row i holds image i's negatives T(x_i, y_{i+r}), r = 1 … n: shape (B, n). */
  NDArray rowNegatives() {
    return scores.gather(rolledIndex(1), 1);
  }

  /**
   * Row j holds caption j's negatives T(x_{j−r}, y_j), r = n … 1: shape (B, n). They are the same
   * B·n pairs as {@link #rowNegatives()}, grouped by caption.
   */
  NDArray columnNegatives() {
    return scores.transpose().gather(rolledIndex(batch - negatives), 1);
  }

  /**
   * Entry (i, c) is (i + first + c) mod B, built on the scores' device; a gather with it costs
   * O(B·n) where masking the whole matrix would cost O(B²).
   */
  private NDArray rolledIndex(int first) {
    NDManager manager = scores.getManager();
    NDArray anchors = manager.arange(0, batch, 1, DataType.INT64).reshape(batch, 1);
    NDArray offsets =
        manager.arange(first, first + negatives, 1, DataType.INT64).reshape(1, negatives);
    return anchors.add(offsets).mod(batch);
  }

  /**
   * log(mean(exp(values))) over every entry, shifted by the largest entry so that no exp overflows
   * where the result itself is finite. The shift carries no gradient; the result does not depend on
   * it.
   */
  static NDArray logMeanExp(NDArray values) {
    NDArray peak = values.max().stopGradient();
    return values.sub(peak).exp().mean().log().add(peak);
  }
}
