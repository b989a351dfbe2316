package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Deep InfoMax's prior discriminator: a small MLP that tells pooled image features, squashed into
 * [0, 1), from uniform noise on [0, 1), trained adversarially against the image encoder.
 *
 * <p>The pooled ResNet features are averages of ReLU outputs, so never negative; a plain sigmoid
 * would put them in [0.5, 1), half of the prior's support out of reach, so they are squashed with
 * 2σ(x) − 1 instead, which maps [0, ∞) onto [0, 1).
 *
 * <p>The adversarial game runs in one backward pass: the squashed features reach the discriminator
 * through a gradient reversal (forward the identity, backward the negation), so when every
 * parameter descends {@link PriorMatchingLoss}, the discriminator minimises its classification loss
 * while the image encoder maximises it, DIM's min over the encoder of the max over the
 * discriminator. Input (B, F) features; outputs (B, 1) logits on the features and (B, 1) logits on
 * as many noise vectors, a logit above 0 meaning "noise".
 */
final class PriorDiscriminator extends AbstractBlock {

  /** Hidden sizes of the discriminator, as in Deep InfoMax and the paper's code. */
  static final int[] HIDDEN = {1000, 200};

  private final SequentialBlock net;

  PriorDiscriminator() {
    net =
        addChildBlock(
            "net",
            new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN[0]).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(HIDDEN[1]).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build()));
  }

  /**
   * The forward cost for one feature vector: 2 × the multiply-adds of the three layers, run once on
   * the features and once on a noise vector.
   */
  static long forwardFlops(long featureSize) {
    long macs = featureSize * HIDDEN[0] + (long) HIDDEN[0] * HIDDEN[1] + HIDDEN[1];
    return 2 * 2 * macs;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray features = inputs.head();
    long batch = features.getShape().get(0);
    NDArray squashed = Activation.sigmoid(features).mul(2).sub(1);
    // 2·stop(s) − s has the value s and the gradient −1 with respect to s.
    NDArray reversed = squashed.stopGradient().mul(2).sub(squashed);
    NDArray noise =
        features.getManager().randomUniform(0f, 1f, features.getShape(), features.getDataType());
    NDArray logits = net.forward(ps, new NDList(reversed.concat(noise, 0)), training).head();
    return new NDList(
        logits.get(new NDIndex("0:{}", batch)), logits.get(new NDIndex("{}:", batch)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape logits = new Shape(inputShapes[0].get(0), 1);
    return new Shape[] {logits, logits};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape doubled = new Shape(2 * inputShapes[0].get(0), inputShapes[0].get(1));
    net.initialize(manager, dataType, doubled);
  }
}
