package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Deep InfoMax's prior-matching term: the prior discriminator's binary cross-entropy at telling
 * uniform noise (label 1) from the squashed image features (label 0), loss = mean sp(d_features) +
 * mean sp(−d_noise) = −mean log(1 − D(features)) − mean log D(noise), with d the discriminator's
 * logits, D = σ(d) and sp the softplus.
 *
 * <p>Add it to the MI loss with the prior weight and let every parameter descend the sum: the model
 * reverses the gradient between the image encoder and the discriminator, so the discriminator
 * minimises this term and the image encoder maximises it (pushing its pooled features towards the
 * uniform prior); the text tower, the heads and the critic get no gradient from it. At the game's
 * equilibrium the discriminator outputs ½ everywhere and the term is 2 log 2.
 */
public final class PriorMatchingLoss extends Loss {

  /** Creates the loss. */
  public PriorMatchingLoss() {
    super("prior");
  }

  /**
   * The prior term of a batch.
   *
   * @param featureLogits the discriminator's logits on the image features, {@link
   *     ClipLiteModel#PRIOR_FEATURE_LOGITS}
   * @param noiseLogits its logits on the noise, {@link ClipLiteModel#PRIOR_NOISE_LOGITS}
   * @return the scalar loss
   */
  public NDArray loss(NDArray featureLogits, NDArray noiseLogits) {
    NDArray onFeatures = Activation.softPlus(featureLogits).mean();
    return onFeatures.add(Activation.softPlus(noiseLogits.neg()).mean());
  }

  /** Labels are implicit, so only the model's outputs are read. */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return loss(
        predictions.get(ClipLiteModel.PRIOR_FEATURE_LOGITS),
        predictions.get(ClipLiteModel.PRIOR_NOISE_LOGITS));
  }
}
