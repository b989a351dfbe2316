package dev.cliplab.worker.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Autograd gradients of every bound against central finite differences, in float64. */
class BoundGradientTest {

  private static final int B = 4;
  private static final double H = 1e-5;

  private static NDManager manager;

  @BeforeAll
  static void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  static Stream<Arguments> boundsAndNegatives() {
    return MiObjective.NAMES.stream()
        .flatMap(
            name -> Stream.of(1, 2, MiObjective.ALL_NEGATIVES).map(k -> Arguments.of(name, k)));
  }

  private static double loss(MiObjective objective, double[][] scores) {
    try (NDManager scope = manager.newSubManager()) {
      return objective.loss(scope.create(scores)).getDouble();
    }
  }

  @ParameterizedTest(name = "{0} with {1} negatives (0: all)")
  @MethodSource("boundsAndNegatives")
  void gradientMatchesCentralDifferences(String name, int negatives) {
    MiObjective objective = MiObjective.create(name, negatives);
    double[][] scores = new double[B][B];
    Random random = new Random(7);
    for (double[] row : scores) {
      for (int j = 0; j < B; j++) {
        row[j] = random.nextGaussian() * 2;
      }
    }

    double[] analytic;
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = scope.create(scores);
      assertThat(input.getDataType()).isEqualTo(DataType.FLOAT64);
      input.setRequiresGradient(true);
      try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
        collector.backward(objective.loss(input));
      }
      analytic = input.getGradient().toDoubleArray();
    }

    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        double original = scores[i][j];
        scores[i][j] = original + H;
        double up = loss(objective, scores);
        scores[i][j] = original - H;
        double down = loss(objective, scores);
        scores[i][j] = original;
        assertThat(analytic[i * B + j])
            .as("d loss / d s[%d][%d]", i, j)
            .isCloseTo((up - down) / (2 * H), within(1e-8));
      }
    }
  }
}
