package dev.cliplab.worker.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values, estimates, edge cases and the factory; gradients are in {@link BoundGradientTest}. */
class MiObjectiveTest {

  private static NDManager manager;

  /** Positives 0; in every row the caption one on scores 1, two on −1, three on 99. */
  private static final float[][] ROLLED = {
    {0, 1, -1, 99}, {99, 0, 1, -1}, {-1, 99, 0, 1}, {1, -1, 99, 0}
  };

  @BeforeAll
  static void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  private static float loss(MiObjective objective, float[][] scores) {
    try (NDManager scope = manager.newSubManager()) {
      return objective.loss(scope.create(scores)).getFloat();
    }
  }

  @Test
  @DisplayName("jsd on a 2x2 matrix matches the softplus sum worked out by hand")
  void jsdTwoByTwo() {
    // scores = [[2, 0], [-1, 1]]; positives 2 and 1; negatives (caption i+1 mod 2): s01 = 0,
    // s10 = -1
    // negative term = (sp(0) + sp(-1)) / 2 = (0.693147 + 0.313262) / 2 = 0.503204
    // positive term = (sp(-2) + sp(-1)) / 2 = (0.126928 + 0.313262) / 2 = 0.220095
    // loss = 0.723299
    float loss = loss(MiObjective.create("jsd", 1), new float[][] {{2, 0}, {-1, 1}});
    assertThat(loss).isCloseTo(0.723299f, within(1e-5f));
  }

  @Test
  @DisplayName("jsd on a 3x3 matrix with one negative reads only the diagonal and captions i+1")
  void jsdThreeByThreeIgnoresOtherPairs() {
    // negatives are s01 = 0, s12 = 1, s20 = -1; the entries marked 99 must not count
    // negative term = (sp(0) + sp(1) + sp(-1)) / 3 = (0.693147 + 1.313262 + 0.313262) / 3
    //               = 0.773224
    // positive term = (sp(-1) + sp(-2) + sp(0)) / 3 = (0.313262 + 0.126928 + 0.693147) / 3
    //               = 0.377779
    // loss = 1.151003
    float[][] scores = {{1, 0, 99}, {99, 2, 1}, {-1, 99, 0}};
    assertThat(loss(MiObjective.create("jsd", 1), scores)).isCloseTo(1.151003f, within(1e-5f));
  }

  @Test
  @DisplayName("jsd with two negatives on a 4x4 matrix reads captions i+1 and i+2, not i+3")
  void jsdTwoNegativesRollsByOneAndTwo() {
    // every image's negatives score 1 (caption i+1) and -1 (caption i+2); caption i+3 scores 99
    // negative term = (sp(1) + sp(-1)) / 2 = (1.313262 + 0.313262) / 2 = 0.813262
    // positive term = sp(0) = 0.693147; loss = 1.506409
    assertThat(loss(MiObjective.create("jsd", 2), ROLLED)).isCloseTo(1.506409f, within(1e-5f));
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
    float loss = loss(MiObjective.forName("infonce"), new float[][] {{2, 0}, {1, 1}});
    assertThat(loss).isCloseTo(0.361650f, within(1e-5f));
  }

  @Test
  @DisplayName("infonce with two negatives on a 4x4 matrix uses images j-1, j-2 for caption j")
  void infonceTwoNegatives() {
    // rows: log(e^0 + e^1 + e^-1) - 0 = log 4.086161 = 1.407606
    // columns: caption j is caption i+1 of image j-1 (score 1) and i+2 of image j-2 (score -1),
    // so each column gives the same 1.407606; loss = 1.407606, estimate log 3 - loss
    MiObjective objective = MiObjective.create("infonce", 2);
    float loss = loss(objective, ROLLED);
    assertThat(loss).isCloseTo(1.407606f, within(1e-5f));
    assertThat(objective.miEstimate(loss, 4)).isCloseTo(Math.log(3) - 1.407606, within(1e-5));
  }

  @Test
  @DisplayName("infonce on a 3x3 matrix of equal scores is log 3, an MI estimate of zero")
  void infonceUniformScores() {
    // every row and column is a uniform softmax over 3, so each cross-entropy is ln 3 = 1.098612
    MiObjective objective = MiObjective.forName("infonce");
    float loss = loss(objective, new float[][] {{5, 5, 5}, {5, 5, 5}, {5, 5, 5}});
    assertThat(loss).isCloseTo(1.098612f, within(1e-5f));
    assertThat(objective.miEstimate(loss, 3)).isCloseTo(0.0, within(1e-5));
  }

  @Test
  @DisplayName("nwj and dv on a 2x2 matrix match the values worked out by hand")
  void nwjAndDvTwoByTwo() {
    // scores = [[2, 0], [-1, 1]]; mean positive 1.5; negatives s01 = 0, s10 = -1
    // nwj: mean exp(s - 1) = (e^-1 + e^-2) / 2 = (0.367879 + 0.135335) / 2 = 0.251607
    //      loss = -(1.5 - 0.251607) = -1.248393
    // dv:  log mean exp(s) = log((1 + e^-1) / 2) = log 0.683940 = -0.379885
    //      loss = -(1.5 + 0.379885) = -1.879885
    float[][] scores = {{2, 0}, {-1, 1}};
    assertThat(loss(MiObjective.forName("nwj"), scores)).isCloseTo(-1.248393f, within(1e-5f));
    assertThat(loss(MiObjective.forName("dv"), scores)).isCloseTo(-1.879885f, within(1e-5f));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jsd", "infonce", "nwj", "dv"})
  @DisplayName("each bound at 1, 2 and all negatives equals the loops over plain doubles")
  void matchesReferenceLoops(String name) {
    double[][] scores = {
      {2.0, 0.5, -1.0, 0.3}, {-0.7, 1.5, 0.9, -2.0}, {1.2, -0.4, 0.8, 0.6}, {0.1, 2.2, -1.5, 1.0}
    };
    for (int k : new int[] {1, 2, MiObjective.ALL_NEGATIVES}) {
      try (NDManager scope = manager.newSubManager()) {
        double actual = MiObjective.create(name, k).loss(scope.create(scores)).getDouble();
        assertThat(actual)
            .as("%s with %d negatives", name, k)
            .isCloseTo(ReferenceBounds.loss(name, scores, k), within(1e-12));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jsd", "infonce", "nwj", "dv"})
  @DisplayName("k of B-1 or more in a batch of B is the same as all in-batch negatives")
  void largeKMeansAll(String name) {
    float all = loss(MiObjective.create(name, MiObjective.ALL_NEGATIVES), ROLLED);
    for (int k : new int[] {3, 4, 7, 1000}) {
      MiObjective objective = MiObjective.create(name, k);
      assertThat(loss(objective, ROLLED)).as("k = %d", k).isEqualTo(all);
      assertThat(objective.negativesPerPositive(4)).isEqualTo(3);
    }
    // and k = 2 really is different: it leaves out the 99s
    assertThat(loss(MiObjective.create(name, 2), ROLLED)).isNotEqualTo(all);
  }

  @Test
  @DisplayName("separated scores of +-1000 give the limits of each bound, not inf or NaN")
  void largeScoresStayFinite() {
    float[][] right = {{1000, -1000}, {-1000, 1000}};
    float[][] wrong = {{-1000, 1000}, {1000, -1000}};
    // a perfect critic: jsd and infonce go to 0; nwj to -mean s+ = -1000 (exp(-1001) = 0); dv to
    // -(1000 - (-1000)) = -2000
    assertThat(loss(MiObjective.forName("jsd"), right)).isCloseTo(0f, within(1e-3f));
    assertThat(loss(MiObjective.forName("infonce"), right)).isCloseTo(0f, within(1e-3f));
    assertThat(loss(MiObjective.forName("nwj"), right)).isCloseTo(-1000f, within(1e-3f));
    assertThat(loss(MiObjective.forName("dv"), right)).isCloseTo(-2000f, within(1e-3f));
    // the worst critic: jsd sp(1000) + sp(1000) = 2000; infonce log(e^-1000 + e^1000) + 1000 =
    // 2000; dv 1000 + 1000 = 2000
    for (String name : new String[] {"jsd", "infonce", "dv"}) {
      assertThat(loss(MiObjective.forName(name), wrong)).as(name).isCloseTo(2000f, within(1e-2f));
    }
  }

  @Test
  @DisplayName("nwj stays finite when one exp(s - 1) overflows float but the mean does not")
  void nwjMeanOfLargeExponentials() {
    // B = 4, all negatives: eleven score 0 and one scores 90; positives 0
    // loss = (e^89 + 11 e^-1) / 12 - 0 = 3.741344e37, below float's 3.4e38 though e^89 is not
    float[][] scores = new float[4][4];
    scores[1][3] = 90;
    float loss = loss(MiObjective.forName("nwj"), scores);
    assertThat(loss).isFinite().isCloseTo(3.741344e37f, withinPercentage(1e-3));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jsd", "infonce", "nwj", "dv"})
  @DisplayName("a NaN score makes the loss NaN, so divergence is seen, not hidden")
  void nanPropagates(String name) {
    float[][] scores = {{Float.NaN, 0, 1}, {0, 1, 0}, {1, 0, 1}};
    assertThat(loss(MiObjective.forName(name), scores)).isNaN();
  }

  @Test
  @DisplayName("infonce estimates log(n + 1) - loss; the other bounds estimate -loss")
  void estimates() {
    assertThat(MiObjective.create("infonce", 1).miEstimate(0.5, 4)).isEqualTo(Math.log(2) - 0.5);
    assertThat(MiObjective.create("infonce", 2).miEstimate(0.5, 4)).isEqualTo(Math.log(3) - 0.5);
    assertThat(MiObjective.create("infonce", 9).miEstimate(0.5, 4)).isEqualTo(Math.log(4) - 0.5);
    assertThat(MiObjective.forName("infonce").miEstimate(0.5, 128)).isEqualTo(Math.log(128) - 0.5);
    for (String name : new String[] {"jsd", "nwj", "dv"}) {
      assertThat(MiObjective.create(name, 3).miEstimate(0.75, 64)).as(name).isEqualTo(-0.75);
    }
  }

  @Test
  @DisplayName("create knows the four bounds, and forName gives jsd one negative, the rest all")
  void factory() {
    assertThat(MiObjective.NAMES).containsExactly("jsd", "infonce", "nwj", "dv");
    for (String name : MiObjective.NAMES) {
      MiObjective objective = MiObjective.create(name, 5);
      assertThat(objective.getName()).isEqualTo(name);
      assertThat(objective.negatives()).isEqualTo(5);
      assertThat(objective).hasToString(name + "(negatives=5)");
    }
    assertThat(MiObjective.forName("jsd").negatives()).isEqualTo(1);
    assertThat(MiObjective.forName("dv").negatives()).isEqualTo(MiObjective.ALL_NEGATIVES);
    assertThat(MiObjective.forName("nwj")).hasToString("nwj(negatives=all)");
    assertThat(MiObjective.forName("infonce").negativesPerPositive(128)).isEqualTo(127);
  }

  @Test
  @DisplayName("an unknown bound, a negative count, a lone pair or a non-square matrix are refused")
  void badInput() {
    assertThatThrownBy(() -> MiObjective.create("nce", 1))
        .hasMessageContaining("nce")
        .hasMessageContaining("jsd, infonce, nwj, dv");
    assertThatThrownBy(() -> MiObjective.create("jsd", -1)).hasMessageContaining("negatives");
    assertThatThrownBy(() -> loss(MiObjective.forName("jsd"), new float[][] {{3}}))
        .hasMessageContaining("batch of 1");
    assertThatThrownBy(() -> loss(MiObjective.forName("dv"), new float[][] {{1, 2, 3}, {4, 5, 6}}))
        .hasMessageContaining("dv")
        .hasMessageContaining("(2, 3)");
  }
}
