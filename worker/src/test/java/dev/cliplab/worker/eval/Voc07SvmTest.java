package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Voc07SvmTest {

  private static final int P = 1;
  private static final int N = -1;
  private static final int D = 0;

  // Trainval: "right" is x > 0. The first image is a negative, so LIBLINEAR meets -1 first.
  private static final FeatureMatrix TRAINVAL =
      FeatureMatrix.of(
          new float[][] {
            {-1.0f, 0.3f}, {1.0f, 0.2f}, {-0.9f, -0.4f}, {1.0f, -0.3f},
            {-1.0f, 0.1f}, {0.8f, 0.5f}, {-0.7f, -0.6f}, {1.1f, -0.1f},
            {-1.2f, 0.4f}, {0.9f, 0.0f}, {-0.8f, -0.2f}, {1.0f, 0.6f},
          });

  private static final FeatureMatrix TEST =
      FeatureMatrix.of(
          new float[][] {
            {1.0f, 0.1f},
            {-1.0f, 0.0f},
            {0.7f, -0.5f},
            {-0.6f, 0.7f},
            {-0.9f, 0.2f},
            {-1.1f, -0.3f},
          });

  private static final List<String> CLASSES = List.of("right", "owl", "bird", "fish");

  private static final int[][] TRAINVAL_LABELS = {
    {N, P, N, P, N, P, N, P, N, P, N, P}, // right: six positives, two in each fold
    {N, N, N, N, N, P, N, N, N, N, N, N}, // owl: one positive, no fold can be scored
    {N, P, N, P, N, N, N, N, N, N, N, N}, // bird: positives in trainval only
    {N, N, N, N, N, N, N, N, N, N, N, N}, // fish: no positive in trainval
  };

  private static final int[][] TEST_LABELS = {
    {P, N, P, N, D, N}, // image 4 lies with the negatives but is difficult
    {P, N, N, N, N, N},
    {N, N, N, N, D, N},
    {P, N, N, N, N, N},
  };

  private static Voc07Svm.Report evaluate() {
    return Voc07Svm.evaluate(CLASSES, TRAINVAL, TRAINVAL_LABELS, TEST, TEST_LABELS);
  }

  @Test
  @DisplayName("a separable class gets AP 1, and the smallest C since every C cross-validates to 1")
  void separableClass() {
    Voc07Svm.ClassResult right = evaluate().classes().get(0);
    assertThat(right.skipped()).isEmpty();
    assertThat(right.crossValidationAp()).isEqualTo(1.0);
    assertThat(right.cost()).isEqualTo(0.01);
    assertThat(right.testAp()).isEqualTo(1.0);
    assertThat(right.trainvalPositives()).isEqualTo(6);
    assertThat(right.testPositives()).isEqualTo(2);
  }

  @Test
  @DisplayName("the difficult test image is left out; counted as a positive it would cost AP")
  void difficultIgnored() {
    int[][] difficultAsPositive = TEST_LABELS.clone();
    difficultAsPositive[0] = new int[] {P, N, P, N, P, N};
    Voc07Svm.Report strict =
        Voc07Svm.evaluate(CLASSES, TRAINVAL, TRAINVAL_LABELS, TEST, difficultAsPositive);
    assertThat(strict.classes().get(0).testAp()).isLessThan(1.0);
    assertThat(evaluate().classes().get(0).testAp()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("with one trainval positive no fold is scored and C falls back to 1")
  void fallbackCost() {
    Voc07Svm.ClassResult owl = evaluate().classes().get(1);
    assertThat(owl.crossValidationAp()).isNaN();
    assertThat(owl.cost()).isEqualTo(Voc07Svm.FALLBACK_COST).isEqualTo(1.0);
    assertThat(owl.skipped()).isEmpty();
    assertThat(owl.testAp()).isBetween(0.0, 1.0);
  }

  @Test
  @DisplayName(
      "classes without test or trainval positives are skipped, reported and kept out of mAP")
  void skippedClasses() {
    Voc07Svm.Report report = evaluate();
    assertThat(report.classes().get(2).skipped()).hasValue("no positive in test");
    assertThat(report.classes().get(3).skipped()).hasValue("no positive in trainval");
    assertThat(report.classes().get(3).cost()).isNaN();
    double right = report.classes().get(0).testAp();
    double owl = report.classes().get(1).testAp();
    assertThat(report.meanAp()).isCloseTo((right + owl) / 2, within(1e-12));
  }

  @Test
  @DisplayName("the same features give the same C and AP for every class")
  void deterministic() {
    assertThat(evaluate()).isEqualTo(evaluate());
  }

  @Test
  @DisplayName(
      "folds cut positives and negatives, in image order, into near-equal contiguous parts")
  void stratifiedFolds() {
    // positives at 0, 2, 4, 5 -> parts of 2, 1, 1; negatives at 1, 3, 6 -> parts of 1, 1, 1
    boolean[] positive = {true, false, true, false, true, true, false};
    assertThat(Voc07Svm.folds(positive)).containsExactly(0, 0, 0, 1, 1, 2, 2);
  }
}
