package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecoupledAdamWTest {

  @Test
  @DisplayName("the first update moves each weight by the learning rate, and decays only matrices")
  void firstUpdate() {
    // First Adam step: m = (1 - b1) g, v = (1 - b2) g^2, so with bias correction m^ / sqrt(v^)
    // = g / |g| = sign(g) (epsilon 1e-6 aside). With lr 0.1 and weight decay 0.5:
    //   vector w = 2, g = 3      -> 2 - 0.1 * 1                 = 1.9   (no decay)
    //   matrix w = 2, g = -4     -> 2 - 0.1*0.5*2 - 0.1 * (-1)  = 2.0
    //   matrix w = -1, g = 0.25  -> -1 + 0.1*0.5*1 - 0.1 * 1    = -1.05
    DecoupledAdamW optimizer = new DecoupledAdamW(Tracker.fixed(0.1f), 0.5f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray vector = manager.create(new float[] {2});
      optimizer.update("vector", vector, manager.create(new float[] {3}));
      assertThat(vector.toFloatArray()[0]).isCloseTo(1.9f, within(1e-5f));

      NDArray matrix = manager.create(new float[][] {{2, -1}});
      optimizer.update("matrix", matrix, manager.create(new float[][] {{-4, 0.25f}}));
      assertThat(matrix.toFloatArray()).containsExactly(new float[] {2.0f, -1.05f}, within(1e-5f));
    }
  }

  @Test
  @DisplayName("the gradient scale reaches the update: a zero scale leaves a fresh weight alone")
  void gradientScale() {
    // with every gradient scaled to 0, m and v stay 0 and the step is 0 / (0 + eps) = 0
    DecoupledAdamW optimizer = new DecoupledAdamW(Tracker.fixed(0.1f), 0f);
    optimizer.setGradientScale(0f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.create(new float[] {2});
      optimizer.update("w", weight, manager.create(new float[] {3}));
      assertThat(weight.toFloatArray()[0]).isEqualTo(2f);
    }
  }

  @Test
  @DisplayName("the clip scale brings a too-large norm down to the maximum and leaves others alone")
  void clipScale() {
    assertThat(GradientClipping.scale(20, 10)).isEqualTo(0.5f);
    assertThat(GradientClipping.scale(3, 10)).isEqualTo(1f);
  }
}
