package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdamW with decoupled weight decay on matrices and kernels only, and a gradient scale that the
 * training loop sets each step to clip the global gradient norm.
 *
 * <p>DJL's own AdamW decays every parameter, which would shrink norm gains, biases and the critic
 * temperature toward zero; as in OpenCLIP, one-dimensional parameters are not decayed here.
 */
final class DecoupledAdamW extends Optimizer {

  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.98f;
  private static final float EPSILON = 1e-6f;

  private final Tracker learningRate;
  private final Map<String, Map<ai.djl.Device, NDArray>> means = new ConcurrentHashMap<>();
  private final Map<String, Map<ai.djl.Device, NDArray>> variances = new ConcurrentHashMap<>();

  DecoupledAdamW(Tracker learningRate, float weightDecay) {
    super(new Builder().optWeightDecays(weightDecay));
    this.learningRate = learningRate;
  }

  /**
   * Sets the factor all gradients are multiplied by in the next updates.
   *
   * @param scale 1 for none, below 1 to clip
   */
  void setGradientScale(float scale) {
    rescaleGrad = scale;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int t = updateCount(parameterId);
    float rate = learningRate.getNewValue(t);
    double biasCorrection = Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
    float decay = weight.getShape().dimension() >= 2 ? getWeightDecay() : 0f;
    NDList inputs =
        new NDList(
            weight,
            grad,
            withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
            withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
    weight
        .getNDArrayInternal()
        .adamUpdate(
            inputs,
            new NDList(weight),
            rate,
            (float) (rate * biasCorrection),
            decay,
            rescaleGrad,
            clipGrad,
            BETA1,
            BETA2,
            EPSILON,
            true,
            true);
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
