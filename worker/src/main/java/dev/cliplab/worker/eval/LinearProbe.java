package dev.cliplab.worker.eval;

import java.util.Arrays;
import java.util.Random;

/**
 * Linear evaluation on frozen features: softmax regression (a linear layer trained with
 * cross-entropy), in plain Java so that the same features always give the same classifier.
 *
 * <p>The recipe: each feature vector is L2-normalised, then every dimension is standardised with
 * the training split's mean and standard deviation (a dimension that never varies becomes 0), so
 * one learning rate suits any backbone width. Weights and biases start at zero (the loss is convex,
 * so nothing is gained from random starts). Mini-batch SGD with momentum (PyTorch's form: v ← μ·v +
 * g, w ← w − lr·v) runs for a fixed number of epochs over a shuffled order drawn from a seeded
 * generator; the learning rate decays from its peak to zero along a cosine, step by step; weight
 * decay applies to the weights, not the biases. Sums run in double precision, in a fixed order, on
 * one thread.
 */
public final class LinearProbe {

  /**
   * The training recipe.
   *
   * @param epochs passes over the training features
   * @param batchSize features per step
   * @param learningRate the peak learning rate
   * @param momentum SGD momentum
   * @param weightDecay L2 penalty on the weights
   * @param seed seed of the shuffling
   */
  public record Recipe(
      int epochs,
      int batchSize,
      double learningRate,
      double momentum,
      double weightDecay,
      long seed) {

    /** The default recipe: 10 epochs of batch 256, lr 0.1, momentum 0.9, weight decay 1e-4. */
    public static final Recipe DEFAULT = new Recipe(10, 256, 0.1, 0.9, 1e-4, 0);

    /** Checks the values. */
    public Recipe {
      if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || momentum < 0 || weightDecay < 0) {
        throw new IllegalArgumentException(
            "invalid linear probe recipe: epochs "
                + epochs
                + ", batch "
                + batchSize
                + ", lr "
                + learningRate
                + ", momentum "
                + momentum
                + ", weight decay "
                + weightDecay);
      }
    }
  }

  private final double[] mean;
  private final double[] scale;
  private final double[] weights;
  private final double[] biases;
  private final int classes;

  private LinearProbe(double[] mean, double[] scale, int classes) {
    this.mean = mean;
    this.scale = scale;
    this.classes = classes;
    this.weights = new double[classes * mean.length];
    this.biases = new double[classes];
  }

  /**
   * Trains a classifier.
   *
   * @param features the training features, one row per image (raw: normalised here)
   * @param labels the class of each row
   * @param classes the number of classes
   * @param recipe the recipe
   * @return the trained classifier
   */
  public static LinearProbe train(
      FeatureMatrix features, int[] labels, int classes, Recipe recipe) {
    if (labels.length != features.rows() || features.rows() == 0) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + features.rows() + " training features");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of training row " + i + " is not one of " + classes);
      }
    }
    FeatureMatrix unit = features.l2Normalized();
    LinearProbe probe = standardizer(unit, classes);
    new Sgd(probe, unit, labels, recipe).run();
    return probe;
  }

  /**
   * Scores features: one logit per class.
   *
   * @param features one row per image (raw, as given to {@link #train})
   * @return {@code [row][class]} logits
   */
  public float[][] scores(FeatureMatrix features) {
    FeatureMatrix unit = features.l2Normalized();
    float[][] out = new float[unit.rows()][classes];
    double[] z = new double[mean.length];
    double[] logits = new double[classes];
    for (int r = 0; r < unit.rows(); r++) {
      standardize(unit, r, z);
      logits(z, logits);
      for (int k = 0; k < classes; k++) {
        out[r][k] = (float) logits[k];
      }
    }
    return out;
  }

  private static LinearProbe standardizer(FeatureMatrix x, int classes) {
    int d = x.dim();
    double[] mean = new double[d];
    double[] square = new double[d];
    for (int r = 0; r < x.rows(); r++) {
      for (int c = 0; c < d; c++) {
        double v = x.get(r, c);
        mean[c] += v;
        square[c] += v * v;
      }
    }
    double[] scale = new double[d];
    for (int c = 0; c < d; c++) {
      mean[c] /= x.rows();
      double variance = Math.max(0, square[c] / x.rows() - mean[c] * mean[c]);
      double std = Math.sqrt(variance);
      scale[c] = std > 1e-6 ? 1 / std : 0;
    }
    return new LinearProbe(mean, scale, classes);
  }

  void standardize(FeatureMatrix x, int row, double[] z) {
    for (int c = 0; c < z.length; c++) {
      z[c] = (x.get(row, c) - mean[c]) * scale[c];
    }
  }

  void logits(double[] z, double[] out) {
    int d = z.length;
    for (int k = 0; k < classes; k++) {
      double sum = biases[k];
      for (int c = 0; c < d; c++) {
        sum += weights[k * d + c] * z[c];
      }
      out[k] = sum;
    }
  }

  /** One training run: the state of SGD over the probe's weights. */
  private static final class Sgd {

    private final LinearProbe probe;
    private final FeatureMatrix x;
    private final int[] labels;
    private final Recipe recipe;
    private final double[] gradWeights;
    private final double[] gradBiases;
    private final double[] velocityWeights;
    private final double[] velocityBiases;

    Sgd(LinearProbe probe, FeatureMatrix x, int[] labels, Recipe recipe) {
      this.probe = probe;
      this.x = x;
      this.labels = labels;
      this.recipe = recipe;
      gradWeights = new double[probe.weights.length];
      gradBiases = new double[probe.classes];
      velocityWeights = new double[probe.weights.length];
      velocityBiases = new double[probe.classes];
    }

    void run() {
      int n = x.rows();
      int perEpoch = (n + recipe.batchSize() - 1) / recipe.batchSize();
      long total = (long) perEpoch * recipe.epochs();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Random random = new Random(recipe.seed());
      long step = 0;
      for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
        shuffle(order, random);
        for (int from = 0; from < n; from += recipe.batchSize()) {
          int to = Math.min(n, from + recipe.batchSize());
          double lr = recipe.learningRate() * 0.5 * (1 + Math.cos(Math.PI * step / total));
          gradient(order, from, to);
          update(lr);
          step++;
        }
      }
    }

    private void gradient(int[] order, int from, int to) {
      Arrays.fill(gradWeights, 0);
      Arrays.fill(gradBiases, 0);
      int d = x.dim();
      double[] z = new double[d];
      double[] p = new double[probe.classes];
      for (int i = from; i < to; i++) {
        probe.standardize(x, order[i], z);
        probe.logits(z, p);
        softmax(p);
        p[labels[order[i]]] -= 1;
        for (int k = 0; k < probe.classes; k++) {
          gradBiases[k] += p[k];
          for (int c = 0; c < d; c++) {
            gradWeights[k * d + c] += p[k] * z[c];
          }
        }
      }
      double count = to - from;
      for (int j = 0; j < gradWeights.length; j++) {
        gradWeights[j] = gradWeights[j] / count + recipe.weightDecay() * probe.weights[j];
      }
      for (int k = 0; k < gradBiases.length; k++) {
        gradBiases[k] /= count;
      }
    }

    private void update(double lr) {
      double mu = recipe.momentum();
      for (int j = 0; j < gradWeights.length; j++) {
        velocityWeights[j] = mu * velocityWeights[j] + gradWeights[j];
        probe.weights[j] -= lr * velocityWeights[j];
      }
      for (int k = 0; k < gradBiases.length; k++) {
        velocityBiases[k] = mu * velocityBiases[k] + gradBiases[k];
        probe.biases[k] -= lr * velocityBiases[k];
      }
    }

    private static void softmax(double[] logits) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : logits) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int k = 0; k < logits.length; k++) {
        logits[k] = Math.exp(logits[k] - max);
        sum += logits[k];
      }
      for (int k = 0; k < logits.length; k++) {
        logits[k] /= sum;
      }
    }

    private static void shuffle(int[] order, Random random) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
  }
}
