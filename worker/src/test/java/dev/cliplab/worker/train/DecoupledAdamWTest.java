package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecoupledAdamWTest {

  /** Parameters named after their ids: a vector, a decayable matrix and a non-decayable matrix. */
  private static final ParameterGroups GROUPS =
      new ParameterGroups(
          Map.of(
              "vector", new ParameterGroups.Member("vector", false, true),
              "matrix", new ParameterGroups.Member("matrix", false, true),
              "norm", new ParameterGroups.Member("norm", false, false)));

  private static DecoupledAdamW adamW(float rate, float weightDecay) {
    return new DecoupledAdamW(
        GROUPS, GroupedOptimizer.Rates.same(Tracker.fixed(rate)), weightDecay);
  }

  @Test
  @DisplayName("the first update moves each weight by the learning rate, and decays only matrices")
  void firstUpdate() {
    // First Adam step: m = (1 - b1) g, v = (1 - b2) g^2, so with bias correction m^ / sqrt(v^)
    // = g / |g| = sign(g) (epsilon 1e-6 aside). With lr 0.1 and weight decay 0.5:
    //   vector w = 2, g = 3      -> 2 - 0.1 * 1                 = 1.9   (no decay)
    //   matrix w = 2, g = -4     -> 2 - 0.1*0.5*2 - 0.1 * (-1)  = 2.0
    //   matrix w = -1, g = 0.25  -> -1 + 0.1*0.5*1 - 0.1 * 1    = -1.05
    //   norm (not decayable) w = 2, g = -4 -> 2 + 0.1           = 2.1
    DecoupledAdamW optimizer = adamW(0.1f, 0.5f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray vector = manager.create(new float[] {2});
      optimizer.update("vector", vector, manager.create(new float[] {3}));
      assertThat(vector.toFloatArray()[0]).isCloseTo(1.9f, within(1e-5f));

      NDArray matrix = manager.create(new float[][] {{2, -1}});
      optimizer.update("matrix", matrix, manager.create(new float[][] {{-4, 0.25f}}));
      assertThat(matrix.toFloatArray()).containsExactly(new float[] {2.0f, -1.05f}, within(1e-5f));

      NDArray norm = manager.create(new float[][] {{2}});
      optimizer.update("norm", norm, manager.create(new float[][] {{-4}}));
      assertThat(norm.toFloatArray()[0]).isCloseTo(2.1f, within(1e-5f));
    }
  }

  @Test
  @DisplayName("two updates follow the bias-corrected moments and decay the weight each time")
  void twoUpdates() {
    // lr 0.1, b1 0.9, b2 0.98. Vector w = 1, g = 1 then -1, no decay:
    //   t=1: m = 0.1, v = 0.02; m^ = 1, v^ = 1               -> w = 0.9
    //   t=2: m = -0.01, v = 0.0396; m^ = -0.01/0.19 = -0.0526316, v^ = 0.0396/0.0396 = 1
    //                                                       -> w = 0.9 + 0.00526316 = 0.9052632
    // Matrix w = 2, g = -4 then 1, weight decay 0.5 (w <- w (1 - 0.05) - lr m^ / sqrt(v^)):
    //   t=1: 2 * 0.95 + 0.1                                  -> w = 2.0
    //   t=2: m = -0.26, v = 0.3336; m^ = -1.368421, v^ = 8.424242, ratio -0.4714740
    //                                                       -> w = 1.9 + 0.0471474 = 1.9471470
    DecoupledAdamW optimizer = adamW(0.1f, 0.5f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray vector = manager.create(new float[] {1});
      optimizer.update("vector", vector, manager.create(new float[] {1}));
      assertThat(vector.toFloatArray()[0]).isCloseTo(0.9f, within(1e-5f));
      optimizer.update("vector", vector, manager.create(new float[] {-1}));
      assertThat(vector.toFloatArray()[0]).isCloseTo(0.9052632f, within(1e-5f));

      NDArray matrix = manager.create(new float[][] {{2}});
      optimizer.update("matrix", matrix, manager.create(new float[][] {{-4}}));
      assertThat(matrix.toFloatArray()[0]).isCloseTo(2.0f, within(1e-5f));
      optimizer.update("matrix", matrix, manager.create(new float[][] {{1}}));
      assertThat(matrix.toFloatArray()[0]).isCloseTo(1.947147f, within(1e-5f));
    }
  }

  @Test
  @DisplayName("the gradient scale reaches the update: a zero scale leaves a fresh weight alone")
  void gradientScale() {
    // with every gradient scaled to 0, m and v stay 0 and the step is 0 / (0 + eps) = 0
    DecoupledAdamW optimizer = adamW(0.1f, 0f);
    optimizer.setGradientScale(0f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.create(new float[] {2});
      optimizer.update("vector", weight, manager.create(new float[] {3}));
      assertThat(weight.toFloatArray()[0]).isEqualTo(2f);
    }
  }
}
