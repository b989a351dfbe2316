package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;

/**
 * The CLIP bound: a symmetric cross-entropy over the B×B logits, image → text along rows and text →
 * image along columns, with every other caption (image) of the batch a negative.
 *
 * <p>The InfoNCE estimate of mutual information is log(B) − loss.
 */
public final class InfoNceObjective extends MiObjective {

  /** The name sweeps use for this bound. */
  public static final String NAME = "infonce";

  /** Creates the bound. */
  public InfoNceObjective() {
    super(NAME);
  }

  @Override
  public NDArray loss(NDArray scores) {
    NDArray imageToText = scores.logSoftmax(1).diagonal().mean().neg();
    NDArray textToImage = scores.logSoftmax(0).diagonal().mean().neg();
    return imageToText.add(textToImage).div(2);
  }

  @Override
  public double miEstimate(double loss, long batchSize) {
    return Math.log(batchSize) - loss;
  }
}
