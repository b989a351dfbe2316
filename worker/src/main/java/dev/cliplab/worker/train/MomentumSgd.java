package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * SGD with momentum as PyTorch's {@code torch.optim.SGD} computes it (no dampening, not Nesterov),
 * the optimiser of the CLIP-Lite paper's code: g' = s·g + wd·w, v = μ·v + g', w -= lr·v, with s the
 * gradient-clipping scale and weight decay coupled to the gradient.
 *
 * <p>DJL's own SGD keeps lr·v as its buffer instead of v, which gives different updates as soon as
 * the learning rate changes, as it does at every step of a warm-up and cosine schedule.
 */
final class MomentumSgd extends GroupedOptimizer {

  static final String KIND = "sgd";

  private static final String MOMENTUM = "momentum";
  private static final NDIndex ALL = new NDIndex("...");

  private final float momentum;

  /**
   * Creates the optimiser.
   *
   * @param groups the network's parameters
   * @param rates the learning-rate schedule of each group
   * @param weightDecay the coupled decay of decayable parameters
   * @param momentum μ, 0 for plain SGD
   */
  MomentumSgd(ParameterGroups groups, Rates rates, float weightDecay, float momentum) {
    super(groups, rates, weightDecay, new OptimizerState(KIND, MOMENTUM));
    this.momentum = momentum;
  }

  @Override
  void apply(String name, int count, float rate, float decay, NDArray weight, NDArray grad) {
    NDArray velocity = state().array(MOMENTUM, name, weight, NDArray::zerosLike);
    // Every temporary is closed at once: they would otherwise live as long as the weight's manager.
    try (NDArray direction = grad.mul(gradientScale())) {
      if (decay != 0f) {
        try (NDArray decayTerm = weight.mul(decay)) {
          direction.addi(decayTerm);
        }
      }
      velocity.muli(momentum).addi(direction);
      try (NDArray delta = velocity.mul(rate)) {
        weight.subi(delta);
      }
    }
    clearGradient(weight);
  }

  /** The engine accumulates gradients, so the optimiser clears them, as its fused updates do. */
  private static void clearGradient(NDArray weight) {
    if (!weight.hasGradient()) {
      return;
    }
    try (NDArray gradient = weight.getGradient();
        NDArray zero = gradient.getManager().zeros(new Shape(), gradient.getDataType())) {
      gradient.set(ALL, zero);
    }
  }
}
