package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LookaheadTest {

  private static final ParameterGroups GROUPS =
      new ParameterGroups(Map.of("w", new ParameterGroups.Member("w", false, true)));

  private static List<Float> trajectory(Lookahead optimizer, float start, float grad, int steps) {
    List<Float> values = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(new float[] {start});
      for (int i = 0; i < steps; i++) {
        optimizer.update("w", w, manager.create(new float[] {grad}));
        values.add(w.toFloatArray()[0]);
      }
    }
    return values;
  }

  @Test
  @DisplayName(
      "every k steps the slow weights move alpha towards the fast ones, which restart there")
  void syncsEveryKSteps() {
    // plain SGD, lr 0.1, constant g = 1, so each fast step subtracts 0.1; k = 2, alpha = 0.5, w =
    // 1:
    //   step 1: fast 0.9
    //   step 2: fast 0.8 -> slow = 1 + 0.5 (0.8 - 1) = 0.9, fast = 0.9
    //   step 3: fast 0.8
    //   step 4: fast 0.7 -> slow = 0.9 + 0.5 (0.7 - 0.9) = 0.8, fast = 0.8
    MomentumSgd sgd =
        new MomentumSgd(GROUPS, GroupedOptimizer.Rates.same(Tracker.fixed(0.1f)), 0f, 0f);
    Lookahead optimizer = new Lookahead(sgd, GROUPS, 2, 0.5f);
    assertThat(trajectory(optimizer, 1f, 1f, 4))
        .zipSatisfy(
            List.of(0.9f, 0.9f, 0.8f, 0.8f), (a, e) -> assertThat(a).isCloseTo(e, within(1e-6f)));
  }

  @Test
  @DisplayName("alpha 1 keeps the fast weights, and the gradient scale reaches the inner optimiser")
  void alphaOneIsTheInnerOptimiser() {
    // alpha 1: slow = fast at every sync, so the path is plain SGD; scale 0.5 halves g = 2:
    // each step subtracts 0.1 * 1 = 0.1 from w = 0.
    MomentumSgd sgd =
        new MomentumSgd(GROUPS, GroupedOptimizer.Rates.same(Tracker.fixed(0.1f)), 0f, 0f);
    Lookahead optimizer = new Lookahead(sgd, GROUPS, 3, 1f);
    optimizer.setGradientScale(0.5f);
    assertThat(trajectory(optimizer, 0f, 2f, 6))
        .zipSatisfy(
            List.of(-0.1f, -0.2f, -0.3f, -0.4f, -0.5f, -0.6f),
            (a, e) -> assertThat(a).isCloseTo(e, within(1e-6f)));
  }
}
