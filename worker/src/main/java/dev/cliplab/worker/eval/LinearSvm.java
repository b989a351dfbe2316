package dev.cliplab.worker.eval;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.Random;

/**
 * One binary linear SVM as scikit-learn's {@code LinearSVC} trains it in the VOC07 protocol: L2
 * regularisation, squared hinge loss, solved in the dual by LIBLINEAR's coordinate descent ({@code
 * L2R_L2LOSS_SVC_DUAL}, LinearSVC's {@code dual=True}), tolerance 1e-4, at most 2,000 iterations,
 * an intercept learnt as the weight of a constant feature 1 (regularised, as LinearSVC's {@code
 * intercept_scaling=1}), and the cost of positives doubled ({@code class_weight={1: 2, -1: 1}}).
 *
 * <p>The coordinate descent visits examples in a random order; each training gets its own generator
 * with a fixed seed, so the same data give the same weights on any thread.
 */
final class LinearSvm {

  static final double TOLERANCE = 1e-4;
  static final int MAX_ITERATIONS = 2000;
  static final double POSITIVE_WEIGHT = 2.0;
  private static final double BIAS = 1.0;
  private static final long SEED = 0;

  static {
    // LIBLINEAR prints its progress to standard output unless told otherwise.
    Linear.disableDebugOutput();
  }

  private final double[] weights;
  private final double bias;

  private LinearSvm(double[] weights, double bias) {
    this.weights = weights;
    this.bias = bias;
  }

  /**
   * The rows of a feature matrix as LIBLINEAR examples, each ending in the constant intercept
   * feature; built once and shared by every training on these rows.
   */
  static Feature[][] examples(FeatureMatrix x) {
    Feature[][] out = new Feature[x.rows()][];
    for (int r = 0; r < x.rows(); r++) {
      Feature[] row = new Feature[x.dim() + 1];
      for (int c = 0; c < x.dim(); c++) {
        row[c] = new FeatureNode(c + 1, x.get(r, c));
      }
      row[x.dim()] = new FeatureNode(x.dim() + 1, BIAS);
      out[r] = row;
    }
    return out;
  }

  /**
   * Trains on some of the examples.
   *
   * @param examples every example, from {@link #examples}
   * @param dim the number of features, the intercept not counted
   * @param rows the examples to train on
   * @param positive whether each example (indexed like {@code examples}) is a positive
   * @param cost the cost C
   * @return the SVM
   * @throws IllegalArgumentException if the rows are not both positive and negative
   */
  static LinearSvm train(
      Feature[][] examples, int dim, int[] rows, boolean[] positive, double cost) {
    Problem problem = new Problem();
    problem.l = rows.length;
    problem.n = dim + 1;
    problem.bias = BIAS;
    problem.x = new Feature[rows.length][];
    problem.y = new double[rows.length];
    int positives = 0;
    for (int i = 0; i < rows.length; i++) {
      problem.x[i] = examples[rows[i]];
      problem.y[i] = positive[rows[i]] ? 1 : -1;
      positives += positive[rows[i]] ? 1 : 0;
    }
    if (positives == 0 || positives == rows.length) {
      throw new IllegalArgumentException(
          "an SVM needs positives and negatives; " + positives + " of " + rows.length);
    }
    Parameter parameter =
        new Parameter(SolverType.L2R_L2LOSS_SVC_DUAL, cost, TOLERANCE, MAX_ITERATIONS, 0.1);
    parameter.setWeights(new double[] {POSITIVE_WEIGHT, 1.0}, new int[] {1, -1});
    parameter.setRandom(new Random(SEED));
    return fromModel(Linear.train(problem, parameter), dim);
  }

  // LIBLINEAR orders the labels as it first meets them; its accessors give the weights of the
  // label asked for, so the decision value is always "positive minus negative".
  private static LinearSvm fromModel(Model model, int dim) {
    int[] labels = model.getLabels();
    int positiveIndex = labels[0] == 1 ? 0 : 1;
    double[] w = new double[dim];
    for (int c = 0; c < dim; c++) {
      w[c] = model.getDecfunCoef(c + 1, positiveIndex);
    }
    return new LinearSvm(w, model.getDecfunBias(positiveIndex));
  }

  /** The signed distance-like score of a row: positive on the positive side. */
  double decision(FeatureMatrix x, int row) {
    double sum = bias;
    for (int c = 0; c < weights.length; c++) {
      sum += weights[c] * x.get(row, c);
    }
    return sum;
  }

  /** The decision values of the given rows. */
  double[] decisions(FeatureMatrix x, int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = decision(x, rows[i]);
    }
    return out;
  }
}
