package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;

/**
 * The InfoNCE bound CLIP maximises: a symmetric cross-entropy, image → text over each image's
 * matching caption and its negatives, and text → image over each caption's matching image and the
 * images it is a negative of. With all in-batch negatives these are the rows and columns of the
 * whole matrix, as in CLIP.
 *
 * <p>The estimate is log(n + 1) − loss for n negatives per positive, at most log(n + 1).
 */
final class InfoNceObjective extends MiObjective {

  static final String NAME = "infonce";

  InfoNceObjective(int negatives) {
    super(NAME, negatives);
  }

  @Override
  NDArray bound(CriticPairs pairs) {
    NDArray positives = pairs.positives();
    NDArray imageToText = crossEntropy(positives, pairs.rowNegatives());
    NDArray textToImage = crossEntropy(positives, pairs.columnNegatives());
    return imageToText.add(textToImage).div(2);
  }

  /** Mean over anchors of −log softmax of the positive among [positive, negatives]. */
  private static NDArray crossEntropy(NDArray positives, NDArray negatives) {
    long batch = positives.getShape().get(0);
    NDArray logits = positives.reshape(batch, 1).concat(negatives, 1);
    return logits.logSoftmax(1).get(":, 0").mean().neg();
  }

  @Override
  public double miEstimate(double loss, long batchSize) {
    return Math.log(negativesPerPositive(batchSize) + 1.0) - loss;
  }
}
