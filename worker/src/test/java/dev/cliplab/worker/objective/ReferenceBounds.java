package dev.cliplab.worker.objective;

/**
 * The four bounds written out again as plain loops over doubles, straight from their definitions,
 * to check the array code against: negative pairs are listed one by one as (i, i + r mod B).
 */
final class ReferenceBounds {

  private ReferenceBounds() {}

  /** The loss of bound {@code name} on {@code s} with {@code k} negatives (0: all). */
  static double loss(String name, double[][] s, int k) {
    int b = s.length;
    int n = k == 0 || k >= b - 1 ? b - 1 : k;
    double positiveMean = 0;
    for (int i = 0; i < b; i++) {
      positiveMean += s[i][i] / b;
    }
    return switch (name) {
      case "jsd" -> meanOverNegatives(s, n, ReferenceBounds::softplus) + softplusOfNegatedPos(s);
      case "nwj" -> meanOverNegatives(s, n, x -> Math.exp(x - 1)) - positiveMean;
      case "dv" -> Math.log(meanOverNegatives(s, n, Math::exp)) - positiveMean;
      case "infonce" -> (imageToText(s, n) + textToImage(s, n)) / 2;
      default -> throw new IllegalArgumentException(name);
    };
  }

  static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  private static double softplusOfNegatedPos(double[][] s) {
    double sum = 0;
    for (int i = 0; i < s.length; i++) {
      sum += softplus(-s[i][i]);
    }
    return sum / s.length;
  }

  private static double meanOverNegatives(
      double[][] s, int n, java.util.function.DoubleUnaryOperator f) {
    int b = s.length;
    double sum = 0;
    for (int i = 0; i < b; i++) {
      for (int r = 1; r <= n; r++) {
        sum += f.applyAsDouble(s[i][(i + r) % b]);
      }
    }
    return sum / (b * n);
  }

  /** Mean over images of log(e^{s_ii} + Σ_r e^{s_i,i+r}) − s_ii. */
  private static double imageToText(double[][] s, int n) {
    int b = s.length;
    double sum = 0;
    for (int i = 0; i < b; i++) {
      double partition = Math.exp(s[i][i]);
      for (int r = 1; r <= n; r++) {
        partition += Math.exp(s[i][(i + r) % b]);
      }
      sum += Math.log(partition) - s[i][i];
    }
    return sum / b;
  }

  /** Mean over captions j of log(e^{s_jj} + Σ_r e^{s_j−r,j}) − s_jj. */
  private static double textToImage(double[][] s, int n) {
    int b = s.length;
    double sum = 0;
    for (int j = 0; j < b; j++) {
      double partition = Math.exp(s[j][j]);
      for (int r = 1; r <= n; r++) {
        partition += Math.exp(s[(j - r + b) % b][j]);
      }
      sum += Math.log(partition) - s[j][j];
    }
    return sum / b;
  }
}
