package dev.cliplab.worker.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MiObjectiveTest {

  private static NDManager manager;

  @BeforeAll
  static void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  private static float loss(MiObjective objective, float[][] scores) {
    return objective.loss(manager.create(scores)).getFloat();
  }

  @Test
  @DisplayName("jsd on a 2x2 matrix matches the softplus sum worked out by hand")
  void jsdTwoByTwo() {
    // scores = [[2, 0], [-1, 1]]; positives 2 and 1; negatives (caption i+1 mod 2): s01 = 0, s10 =
    // -1
    // negative term = (sp(0) + sp(-1)) / 2 = (0.693147 + 0.313262) / 2 = 0.503204
    // positive term = (sp(-2) + sp(-1)) / 2 = (0.126928 + 0.313262) / 2 = 0.220095
    // loss = 0.723299
    float loss = loss(new JsdObjective(), new float[][] {{2, 0}, {-1, 1}});
    assertThat(loss).isCloseTo(0.723299f, within(1e-5f));
  }

  @Test
  @DisplayName("jsd on a 3x3 matrix reads only the diagonal and the rolled-by-one negatives")
  void jsdThreeByThreeIgnoresOtherPairs() {
    // negatives are s01 = 0, s12 = 1, s20 = -1; the entries marked 99 must not count
    // negative term = (sp(0) + sp(1) + sp(-1)) / 3 = (0.693147 + 1.313262 + 0.313262) / 3
    //               = 0.773224
    // positive term = (sp(-1) + sp(-2) + sp(0)) / 3 = (0.313262 + 0.126928 + 0.693147) / 3
    //               = 0.377779
    // loss = 1.151003
    float[][] scores = {{1, 0, 99}, {99, 2, 1}, {-1, 99, 0}};
    assertThat(loss(new JsdObjective(), scores)).isCloseTo(1.151003f, within(1e-5f));
  }

  @Test
  @DisplayName("infonce on a 2x2 matrix matches the two cross-entropies worked out by hand")
  void infonceTwoByTwo() {
    // scores = [[2, 0], [1, 1]]
    // image->text: row 0: log(e^2 + e^0) - 2 = 0.126928; row 1: log(e + e) - 1 = ln 2 = 0.693147
    //              mean 0.410038
    // text->image: col 0 [2, 1]: log(e^2 + e) - 2 = 0.313262; col 1 [0, 1]: log(1 + e) - 1
    //              = 0.313262; mean 0.313262
    // loss = (0.410038 + 0.313262) / 2 = 0.361650
    float loss = loss(new InfoNceObjective(), new float[][] {{2, 0}, {1, 1}});
    assertThat(loss).isCloseTo(0.361650f, within(1e-5f));
  }

  @Test
  @DisplayName("infonce on a 3x3 matrix of equal scores is log 3, an MI estimate of zero")
  void infonceUniformScores() {
    // every row and column is a uniform softmax over 3, so each cross-entropy is ln 3 = 1.098612
    InfoNceObjective objective = new InfoNceObjective();
    float loss = loss(objective, new float[][] {{5, 5, 5}, {5, 5, 5}, {5, 5, 5}});
    assertThat(loss).isCloseTo(1.098612f, within(1e-5f));
    assertThat(objective.miEstimate(loss, 3)).isCloseTo(0.0, within(1e-5));
  }

  @Test
  @DisplayName("the jsd MI estimate is minus the loss")
  void jsdEstimate() {
    assertThat(new JsdObjective().miEstimate(0.75, 64)).isEqualTo(-0.75);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jsd", "infonce"})
  @DisplayName("the gradient with respect to the critic matrix matches central finite differences")
  void gradientMatchesFiniteDifferences(String name) {
    MiObjective objective = MiObjective.forName(name);
    Random random = new Random(7);
    float[][] scores = new float[3][3];
    for (float[] row : scores) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) (random.nextGaussian() * 2);
      }
    }
    float[] analytic;
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = scope.create(scores);
      input.setRequiresGradient(true);
      try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
        collector.backward(objective.loss(input));
      }
      analytic = input.getGradient().toFloatArray();
    }
    float h = 1e-2f;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        float original = scores[i][j];
        scores[i][j] = original + h;
        double up = loss(objective, scores);
        scores[i][j] = original - h;
        double down = loss(objective, scores);
        scores[i][j] = original;
        assertThat((double) analytic[i * 3 + j])
            .as("d loss / d s[%d][%d]", i, j)
            .isCloseTo((up - down) / (2 * h), within(2e-3));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jsd", "infonce"})
  @DisplayName("scores far beyond exp's float range still give a finite loss")
  void largeScoresStayFinite(String name) {
    float[][] scores = {{1000, -1000}, {-1000, 1000}};
    float loss = loss(MiObjective.forName(name), scores);
    assertThat(loss).isFinite().isCloseTo(0f, within(1e-3f));
    float wrong = loss(MiObjective.forName(name), new float[][] {{-1000, 1000}, {1000, -1000}});
    assertThat(wrong).isFinite().isGreaterThan(1000f);
  }

  @Test
  @DisplayName("forName knows jsd and infonce and rejects anything else by name")
  void forName() {
    assertThat(MiObjective.forName("jsd")).isInstanceOf(JsdObjective.class);
    assertThat(MiObjective.forName("infonce")).isInstanceOf(InfoNceObjective.class);
    assertThat(MiObjective.NAMES).containsExactly("jsd", "infonce");
    assertThatThrownBy(() -> MiObjective.forName("nce")).hasMessageContaining("nce");
  }

  @Test
  @DisplayName("the loss of a batch of one pairs the image with its own caption as the negative")
  void jsdBatchOfOne() {
    // B = 1: the negative for image 0 is caption (0 + 1) mod 1 = 0, so loss = sp(3) + sp(-3)
    //      = 3.048587 + 0.048587 = 3.097174
    float loss = loss(new JsdObjective(), new float[][] {{3}});
    assertThat(loss).isCloseTo(3.097174f, within(1e-5f));
  }
}
