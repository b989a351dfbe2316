package dev.cliplab.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProjectionHeadTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** Layer norm of each row, written out: (x − mean) / sqrt(var + 1e-5). */
  private static float[] layerNorm(float[] row) {
    double mean = 0;
    for (float v : row) {
      mean += v / (double) row.length;
    }
    double variance = 0;
    for (float v : row) {
      variance += (v - mean) * (v - mean) / row.length;
    }
    float[] out = new float[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = (float) ((row[i] - mean) / Math.sqrt(variance + 1e-5));
    }
    return out;
  }

  @Test
  @DisplayName("at initialisation the head is close to LayerNorm of its input when sizes match")
  void startsNearLayerNorm() {
    ProjectionHead head = ProjectionHead.builder().setOutputSize(16).build();
    head.initialize(manager, DataType.FLOAT32, new Shape(4, 16));
    NDArray input = manager.randomUniform(-1, 1, new Shape(4, 16));
    // training mode: the batch norm inside the branch uses batch statistics; it must not matter
    NDArray output =
        head.forward(new ParameterStore(manager, false), new NDList(input), true).head();
    float[] in = input.toFloatArray();
    float[] out = output.toFloatArray();
    for (int row = 0; row < 4; row++) {
      float[] expected = layerNorm(Arrays.copyOfRange(in, row * 16, row * 16 + 16));
      float[] actual = Arrays.copyOfRange(out, row * 16, row * 16 + 16);
      // the shortcut's ±0.01 noise over 16 inputs moves each value by a few hundredths
      assertThat(actual).containsExactly(expected, within(0.1f));
    }
  }

  @Test
  @DisplayName("the shortcut starts as ones on the diagonal and noise within ±0.01 elsewhere")
  void nearIdentityNoise() {
    NDArray w =
        new NearIdentityInitializer(0.01f).initialize(manager, new Shape(5, 4), DataType.FLOAT32);
    float[] values = w.toFloatArray();
    float largestNoise = 0;
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 4; c++) {
        float v = values[r * 4 + c];
        if (r == c) {
          assertThat(v).isEqualTo(1f);
        } else {
          assertThat(Math.abs(v)).isLessThanOrEqualTo(0.01f);
          largestNoise = Math.max(largestNoise, Math.abs(v));
        }
      }
    }
    assertThat(largestNoise).isGreaterThan(0f);
  }

  @Test
  @DisplayName("without noise a tall shortcut is the identity padded with zero rows")
  void nearIdentityPadded() {
    NDArray w =
        new NearIdentityInitializer(0f).initialize(manager, new Shape(3, 2), DataType.FLOAT32);
    assertThat(w.toFloatArray()).containsExactly(1, 0, 0, 1, 0, 0);
  }

  @Test
  @DisplayName("a shortcut with fewer outputs than inputs gets the ±1/√in uniform default")
  void nearIdentityFallsBackWhenNarrowing() {
    NDArray w =
        new NearIdentityInitializer(0.01f).initialize(manager, new Shape(2, 16), DataType.FLOAT32);
    // 1/√16 = 0.25
    assertThat(w.abs().max().getFloat()).isLessThanOrEqualTo(0.25f).isGreaterThan(0.05f);
    assertThat(w.toFloatArray()[0]).isNotEqualTo(1f);
  }

  @Test
  @DisplayName("the FLOP count is twice the multiply-adds of its three linear layers")
  void flopsByHand() {
    // in 4, hidden = out 3: 4·3 + 3·3 + 4·3 (shortcut) = 33 multiply-adds
    assertThat(ProjectionHead.builder().setOutputSize(3).build().forwardFlops(4)).isEqualTo(66);
  }
}
