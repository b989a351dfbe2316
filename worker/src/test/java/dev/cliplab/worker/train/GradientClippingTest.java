package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  @DisplayName("the global norm runs over every gradient of the block")
  void globalNormOfKnownGradients() {
    // loss = sum(W x + b) over 2 units for x = [3, 4]: dW = [[3, 4], [3, 4]], db = [1, 1];
    // global norm = sqrt(2 * (9 + 16) + 2) = sqrt(52)
    Linear linear = Linear.builder().setUnits(2).build();
    try (NDManager manager = NDManager.newBaseManager()) {
      linear.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
      linear.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
      NDArray x = manager.create(new float[][] {{3, 4}});
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = linear.forward(new ParameterStore(manager, false), new NDList(x), true).head();
        collector.backward(y.sum());
      }
      try (NDManager scope = manager.newSubManager()) {
        assertThat(GradientClipping.globalNorm(linear, scope))
            .isCloseTo(Math.sqrt(52), within(1e-5));
      }
    }
  }

  @Test
  @DisplayName("the clip scale brings a too-large norm down to the cap, and a cap of 0 is off")
  void scale() {
    assertThat(GradientClipping.scale(20, 10)).isEqualTo(0.5f);
    assertThat(GradientClipping.scale(3, 10)).isEqualTo(1f);
    assertThat(GradientClipping.scale(1e9, 0)).isEqualTo(1f);
  }
}
