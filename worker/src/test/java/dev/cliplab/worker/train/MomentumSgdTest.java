package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MomentumSgdTest {

  /** Parameters named after their ids: "image" in the image encoder, "text" not. */
  private static final ParameterGroups GROUPS =
      new ParameterGroups(
          Map.of(
              "image", new ParameterGroups.Member("image", true, true),
              "text", new ParameterGroups.Member("text", false, true),
              "bias", new ParameterGroups.Member("bias", false, false)));

  private static MomentumSgd sgd(Tracker rate, float weightDecay, float momentum) {
    return new MomentumSgd(GROUPS, GroupedOptimizer.Rates.same(rate), weightDecay, momentum);
  }

  @Test
  @DisplayName("two steps with momentum and coupled weight decay follow torch.optim.SGD")
  void twoStepsWithMomentumAndDecay() {
    // lr 0.1, momentum 0.9, weight decay 0.5, matrix w = [1, -2]:
    //   g1 = [1, 1]:    g' = g1 + 0.5 w = [1.5, 0];  v = [1.5, 0];          w = [0.85, -2]
    //   g2 = [-2, 0.5]: g' = [-2 + 0.425, 0.5 - 1] = [-1.575, -0.5]
    //                   v = 0.9 [1.5, 0] + g' = [-0.225, -0.5];            w = [0.8725, -1.95]
    MomentumSgd optimizer = sgd(Tracker.fixed(0.1f), 0.5f, 0.9f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[][] {{1, -2}});
      optimizer.update("text", w, manager.create(new float[][] {{1, 1}}));
      assertThat(w.toFloatArray()).containsExactly(new float[] {0.85f, -2f}, within(1e-6f));
      optimizer.update("text", w, manager.create(new float[][] {{-2, 0.5f}}));
      assertThat(w.toFloatArray()).containsExactly(new float[] {0.8725f, -1.95f}, within(1e-6f));
    }
  }

  @Test
  @DisplayName("the momentum buffer holds gradients, not steps, so a rising rate scales all of it")
  void momentumIsIndependentOfTheRate() {
    // Warm-up over 2 steps of 10, peak 1: rate 0.5 then 1.0. Momentum 0.9, g = 1, w = 0 (vector):
    //   v1 = 1, w1 = -0.5; v2 = 1.9, w2 = -0.5 - 1.9 = -2.4.
    // (A buffer of lr * v, as DJL's SGD keeps, would give -0.5 - (0.45 + 1) = -1.95.)
    MomentumSgd optimizer = sgd(new WarmupCosineSchedule(1, 2, 10), 0f, 0.9f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[] {0});
      optimizer.update("text", w, manager.create(new float[] {1}));
      optimizer.update("text", w, manager.create(new float[] {1}));
      assertThat(w.toFloatArray()[0]).isCloseTo(-2.4f, within(1e-6f));
    }
  }

  @Test
  @DisplayName("the image encoder and the rest each follow their own learning rate")
  void groupsHaveTheirOwnRates() {
    // plain SGD, g = 2: image w = 1 - 0.2 * 2 = 0.6; text w = 1 - 0.001 * 2 = 0.998
    MomentumSgd optimizer =
        new MomentumSgd(
            GROUPS, new GroupedOptimizer.Rates(Tracker.fixed(0.2f), Tracker.fixed(1e-3f)), 0f, 0f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray image = manager.create(new float[][] {{1}});
      NDArray text = manager.create(new float[][] {{1}});
      optimizer.update("image", image, manager.create(new float[][] {{2}}));
      optimizer.update("text", text, manager.create(new float[][] {{2}}));
      assertThat(image.toFloatArray()[0]).isCloseTo(0.6f, within(1e-6f));
      assertThat(text.toFloatArray()[0]).isCloseTo(0.998f, within(1e-6f));
    }
  }

  @Test
  @DisplayName("weight decay skips parameters that are not decayable, and the clip scale applies")
  void decaySkipsNonDecayableAndScaleApplies() {
    // lr 0.1, decay 0.5, scale 0.5, g = 4, w = 2: bias 2 - 0.1 * 2 = 1.8;
    // matrix 2 - 0.1 * (2 + 0.5 * 2) = 1.7
    MomentumSgd optimizer = sgd(Tracker.fixed(0.1f), 0.5f, 0f);
    optimizer.setGradientScale(0.5f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray bias = manager.create(new float[][] {{2}});
      NDArray matrix = manager.create(new float[][] {{2}});
      optimizer.update("bias", bias, manager.create(new float[][] {{4}}));
      optimizer.update("text", matrix, manager.create(new float[][] {{4}}));
      assertThat(bias.toFloatArray()[0]).isCloseTo(1.8f, within(1e-6f));
      assertThat(matrix.toFloatArray()[0]).isCloseTo(1.7f, within(1e-6f));
    }
  }

  @Test
  @DisplayName("an update clears the weight's gradient, so the next backward starts from zero")
  void clearsTheGradient() {
    MomentumSgd optimizer = sgd(Tracker.fixed(0.1f), 0f, 0.9f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[] {1, 2});
      w.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(w.mul(manager.create(new float[] {3, -1})).sum());
      }
      assertThat(w.getGradient().toFloatArray()).containsExactly(3f, -1f);
      optimizer.update("text", w, w.getGradient().duplicate());
      assertThat(w.toFloatArray()).containsExactly(new float[] {0.7f, 2.1f}, within(1e-6f));
      assertThat(w.getGradient().toFloatArray()).containsExactly(0f, 0f);
    }
  }

  @Test
  @DisplayName("a parameter id the optimiser was not built for is refused by name")
  void unknownParameter() {
    MomentumSgd optimizer = sgd(Tracker.fixed(0.1f), 0f, 0.9f);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[] {1});
      assertThatThrownBy(() -> optimizer.update("elsewhere", w, w.duplicate()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("elsewhere");
    }
  }
}
