package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * AdamW with decoupled weight decay (w -= lr · wd · w besides the Adam step), as OpenCLIP trains
 * CLIP: β = (0.9, 0.98), ε = 1e-6, bias-corrected moments.
 *
 * <p>DJL's own AdamW decays every parameter, which would shrink norm gains, biases and the critic
 * temperature toward zero; here only what {@link ParameterGroups} marks decayable is decayed.
 */
final class DecoupledAdamW extends GroupedOptimizer {

  static final String KIND = "adamw";

  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.98f;
  private static final float EPSILON = 1e-6f;
  private static final String MEAN = "mean";
  private static final String VARIANCE = "variance";

  /**
   * Creates the optimiser.
   *
   * @param groups the network's parameters
   * @param rates the learning-rate schedule of each group
   * @param weightDecay the decoupled decay of decayable parameters
   */
  DecoupledAdamW(ParameterGroups groups, Rates rates, float weightDecay) {
    super(groups, rates, weightDecay, new OptimizerState(KIND, MEAN, VARIANCE));
  }

  @Override
  void apply(String name, int count, float rate, float decay, NDArray weight, NDArray grad) {
    double biasCorrection = Math.sqrt(1 - Math.pow(BETA2, count)) / (1 - Math.pow(BETA1, count));
    NDList inputs =
        new NDList(
            weight,
            grad,
            state().array(MEAN, name, weight, NDArray::zerosLike),
            state().array(VARIANCE, name, weight, NDArray::zerosLike));
    // The engine's fused update also clears the weight's gradient for the next step.
    weight
        .getNDArrayInternal()
        .adamUpdate(
            inputs,
            new NDList(weight),
            rate,
            (float) (rate * biasCorrection),
            decay,
            gradientScale(),
            -1f,
            BETA1,
            BETA2,
            EPSILON,
            true,
            true);
  }
}
