package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Lookahead (Zhang et al., 2019) around another optimiser: the inner optimiser moves the fast
 * weights; after every k of a parameter's updates its slow weights move α of the way towards the
 * fast ones, φ += α·(θ − φ), and the fast weights restart from there, θ = φ. The slow weights start
 * as the weights before their first update.
 */
final class Lookahead extends TrainingOptimizer {

  static final String KIND = "lookahead";

  private static final String SLOW = "slow";
  private static final NDIndex ALL = new NDIndex("...");

  private final TrainingOptimizer inner;
  private final ParameterGroups groups;
  private final int k;
  private final float alpha;
  private final OptimizerState state = new OptimizerState(KIND, SLOW);

  /**
   * Wraps an optimiser.
   *
   * @param inner the optimiser of the fast weights
   * @param groups the network's parameters, to key the slow weights by name
   * @param k fast updates between synchronisations, at least 1
   * @param alpha the fraction of the way the slow weights move, in (0, 1]
   */
  Lookahead(TrainingOptimizer inner, ParameterGroups groups, int k, float alpha) {
    if (k < 1) {
      throw new IllegalArgumentException("lookahead_k must be at least 1 when on: " + k);
    }
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("lookahead_alpha must be in (0, 1]: " + alpha);
    }
    this.inner = inner;
    this.groups = groups;
    this.k = k;
    this.alpha = alpha;
  }

  @Override
  void setGradientScale(float scale) {
    inner.setGradientScale(scale);
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    String name = groups.member(parameterId).name();
    NDArray slow = state.array(SLOW, name, weight, NDArray::duplicate);
    inner.update(parameterId, weight, grad);
    if (state.nextCount(name, weight.getDevice()) % k == 0) {
      try (NDArray step = weight.sub(slow)) {
        slow.addi(step.muli(alpha));
      }
      weight.set(ALL, slow);
    }
  }

  @Override
  void save(DataOutputStream out) throws IOException {
    state.save(out);
    inner.save(out);
  }

  @Override
  void load(DataInputStream in, NDManager manager) throws IOException {
    state.load(in, manager);
    groups.requireKnown(state.names());
    inner.load(in, manager);
  }
}
