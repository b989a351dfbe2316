package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AveragePrecisionTest {

  private static final int P = 1;
  private static final int N = -1;
  private static final int DIFFICULT = 0;

  @Test
  @DisplayName("AP sums recall gained times precision at each threshold, without interpolation")
  void nonInterpolated() {
    // ranked P N P N: at 0.9 R=1/2 P=1; at 0.8 no recall gained; at 0.7 R=1 P=2/3
    // AP = 1/2 * 1 + 1/2 * 2/3 = 5/6 (VOC07's 11-point AP would be 28/33 = 0.8485)
    double ap = AveragePrecision.of(new double[] {0.9, 0.8, 0.7, 0.6}, new int[] {P, N, P, N});
    assertThat(ap).isCloseTo(5 / 6.0, within(1e-12));
  }

  @Test
  @DisplayName("a perfect ranking has AP 1 and a reversed one the precision of each late hit")
  void perfectAndReversed() {
    assertThat(AveragePrecision.of(new double[] {3, 2, 1}, new int[] {P, P, N})).isEqualTo(1.0);
    // ranked N N P P: R=1/2 at P=1/3, R=1 at P=2/4 -> 1/6 + 1/4 = 5/12 (interpolating the
    // precision, as the VOC2010 devkit does, would give 1/2 * 1/2 + 1/2 * 1/2 = 1/2)
    double reversed = AveragePrecision.of(new double[] {1, 2, 3, 4}, new int[] {P, P, N, N});
    assertThat(reversed).isCloseTo(5 / 12.0, within(1e-12));
  }

  @Test
  @DisplayName("tied scores are one threshold: every positive in the tie gets the tie's precision")
  void tiesAreOneThreshold() {
    // 0.9 P alone: R=1/2, P=1. The tie at 0.5 (P and N) adds R=1/2 at P=2/3. AP = 5/6, the same
    // in whichever order the tied images are listed.
    double positiveFirst =
        AveragePrecision.of(new double[] {0.9, 0.5, 0.5, 0.1}, new int[] {P, P, N, N});
    double negativeFirst =
        AveragePrecision.of(new double[] {0.9, 0.5, 0.5, 0.1}, new int[] {P, N, P, N});
    assertThat(positiveFirst).isCloseTo(5 / 6.0, within(1e-12)).isEqualTo(negativeFirst);

    // all four tied, two positives: one threshold, R=1 at P=2/4
    double allTied = AveragePrecision.of(new double[] {7, 7, 7, 7}, new int[] {N, P, N, P});
    assertThat(allTied).isEqualTo(0.5);
  }

  @Test
  @DisplayName("difficult images are left out: a difficult image ranked first costs nothing")
  void difficultIgnored() {
    double ap = AveragePrecision.of(new double[] {0.9, 0.8, 0.1}, new int[] {DIFFICULT, P, N});
    assertThat(ap).isEqualTo(1.0);
    // counted as a negative it would have cost half: R=1 at P=1/2
    assertThat(AveragePrecision.of(new double[] {0.9, 0.8, 0.1}, new int[] {N, P, N}))
        .isEqualTo(0.5);
  }

  @Test
  @DisplayName("without an evaluated positive AP is undefined (NaN)")
  void noPositives() {
    assertThat(AveragePrecision.of(new double[] {0.2, 0.1}, new int[] {N, N})).isNaN();
    assertThat(AveragePrecision.of(new double[] {0.2, 0.1}, new int[] {DIFFICULT, N})).isNaN();
    assertThat(AveragePrecision.of(new double[0], new int[0])).isNaN();
  }

  @Test
  @DisplayName("a NaN score ranks below every number")
  void nanRanksLast() {
    // ranked N (0.1) then P (NaN): R=1 at P=1/2
    double ap = AveragePrecision.of(new double[] {Double.NaN, 0.1}, new int[] {P, N});
    assertThat(ap).isEqualTo(0.5);
  }
}
