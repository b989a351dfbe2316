package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

  @Test
  @DisplayName("one full-batch step from zero moves the weights by lr times the gradient")
  void oneStepByHand() {
    // (1, 0) is class 0 and (0, 1) class 1. Standardised on these two: z0 = (1, -1), z1 = (-1, 1).
    // From zero weights both softmaxes are (1/2, 1/2), so the gradient of class 0's weights is
    // mean((1/2 - 1) z0, (1/2) z1) = (-1/2, 1/2), of class 1's (1/2, -1/2), of the biases zero.
    // One step at lr 0.1 (the cosine starts at its peak): w0 = (0.05, -0.05), w1 = -w0, and
    // (2, 0), normalised and standardised to z0, scores (0.1, -0.1).
    FeatureMatrix x = FeatureMatrix.of(new float[][] {{1, 0}, {0, 1}});
    LinearProbe.Recipe oneStep = new LinearProbe.Recipe(1, 2, 0.1, 0, 0, 0);
    LinearProbe probe = LinearProbe.train(x, new int[] {0, 1}, 2, oneStep);
    float[][] scores = probe.scores(FeatureMatrix.of(new float[][] {{2, 0}, {0, 3}}));
    assertThat(scores[0][0]).isCloseTo(0.1f, within(1e-6f));
    assertThat(scores[0][1]).isCloseTo(-0.1f, within(1e-6f));
    assertThat(scores[1][0]).isCloseTo(-0.1f, within(1e-6f));
    assertThat(scores[1][1]).isCloseTo(0.1f, within(1e-6f));
  }

  @Test
  @DisplayName("well-separated classes are learnt perfectly, top-1 and top-5 both 1")
  void separable() {
    Data train = clusters(300, 1);
    Data test = clusters(100, 2);
    LinearProbe probe = LinearProbe.train(train.x, train.labels, 10, LinearProbe.Recipe.DEFAULT);
    float[][] scores = probe.scores(test.x);
    assertThat(RankingMetrics.topK(scores, test.labels, 1)).isEqualTo(1.0);
    assertThat(RankingMetrics.topK(scores, test.labels, 5)).isEqualTo(1.0);
  }

  @Test
  @DisplayName("the same features and recipe give bit-identical scores")
  void deterministic() {
    Data train = clusters(200, 3);
    LinearProbe.Recipe recipe = new LinearProbe.Recipe(3, 32, 0.1, 0.9, 1e-4, 7);
    float[][] first = LinearProbe.train(train.x, train.labels, 10, recipe).scores(train.x);
    float[][] second = LinearProbe.train(train.x, train.labels, 10, recipe).scores(train.x);
    assertThat(second).isDeepEqualTo(first);
  }

  @Test
  @DisplayName("a label outside the classes is refused naming the row")
  void badLabel() {
    FeatureMatrix x = FeatureMatrix.of(new float[][] {{1, 0}, {0, 1}});
    assertThatThrownBy(() -> LinearProbe.train(x, new int[] {0, 2}, 2, LinearProbe.Recipe.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 2 of training row 1");
  }

  private record Data(FeatureMatrix x, int[] labels) {}

  // Ten classes, each a tight cluster around its own axis of a 12-dimensional space.
  private static Data clusters(int n, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[n][12];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
      for (int d = 0; d < 12; d++) {
        x[i][d] = (float) (0.05 * random.nextGaussian());
      }
      x[i][labels[i]] += 1;
    }
    return new Data(FeatureMatrix.of(x), labels);
  }
}
