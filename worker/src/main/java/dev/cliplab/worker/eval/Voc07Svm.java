package dev.cliplab.worker.eval;

import de.bwaldvogel.liblinear.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The VOC07 linear-SVM protocol of VirTex and CLIP-Lite: on frozen, L2-normalised features, one
 * binary linear SVM per class ({@link LinearSvm}: squared hinge loss, L2 regularisation,
 * LIBLINEAR's dual solver, positives weighted 2 : 1), its cost C chosen from {@link #COSTS} by the
 * mean 3-fold cross-validated {@link AveragePrecision AP} on trainval, then retrained on all of
 * trainval with that C and scored by AP on test.
 *
 * <p>Labels are 1 (present), -1 (absent) and 0 (difficult). As in the protocol's script, a
 * difficult image is a negative when training and cross-validating, and is left out of the test AP.
 *
 * <p>Folds are deterministic and stratified, like scikit-learn's {@code StratifiedKFold} without
 * shuffling: the positives, in image order, are cut into three contiguous parts as equal as
 * possible (the first parts one larger), and so are the negatives; fold k holds part k of each. A
 * fold is scored only when its held-out part has a positive and the rest has both a positive and a
 * negative; C's score is the mean over scored folds. The largest score wins, the smaller C on a tie
 * (the script keeps the first C that scores strictly higher); when no fold can be scored (a class
 * with fewer than two trainval positives), C is {@link #FALLBACK_COST}, LIBLINEAR's and
 * scikit-learn's default.
 *
 * <p>A class without a positive or a negative in trainval cannot be trained, and one without a
 * positive among the test images it is scored on has no AP; both are skipped, with the reason, and
 * left out of the mAP.
 */
public final class Voc07Svm {

  /** The costs tried, in the protocol's order. */
  public static final List<Double> COSTS = List.of(0.01, 0.1, 1.0, 10.0);

  /** The cost used when cross-validation cannot score any fold. */
  public static final double FALLBACK_COST = 1.0;

  /** The number of cross-validation folds. */
  public static final int FOLDS = 3;

  /**
   * What the protocol found for one class.
   *
   * @param className the class
   * @param cost the chosen C, NaN when the class was skipped before training
   * @param crossValidationAp the mean cross-validated AP at that C, NaN when no fold was scored
   * @param testAp the AP on test, NaN when skipped
   * @param trainvalPositives positives in trainval
   * @param testPositives positives in test (difficult images not counted)
   * @param skipped why the class has no AP, if it has none
   */
  public record ClassResult(
      String className,
      double cost,
      double crossValidationAp,
      double testAp,
      int trainvalPositives,
      int testPositives,
      Optional<String> skipped) {}

  /**
   * The result of every class.
   *
   * @param classes one result per class, in class order
   */
  public record Report(List<ClassResult> classes) {

    /** Copies the list so that the record stays immutable. */
    public Report {
      classes = List.copyOf(classes);
    }

    /** The mean test AP over the classes that were not skipped; NaN when every one was. */
    public double meanAp() {
      return classes.stream()
          .filter(c -> c.skipped().isEmpty())
          .mapToDouble(ClassResult::testAp)
          .average()
          .orElse(Double.NaN);
    }
  }

  private Voc07Svm() {}

  /**
   * Runs the protocol for every class.
   *
   * @param classes the class names
   * @param trainval trainval features, one row per image, already L2-normalised
   * @param trainvalLabels {@code [class][image]} labels of trainval
   * @param test test features, one row per image
   * @param testLabels {@code [class][image]} labels of test
   * @return one result per class
   */
  public static Report evaluate(
      List<String> classes,
      FeatureMatrix trainval,
      int[][] trainvalLabels,
      FeatureMatrix test,
      int[][] testLabels) {
    if (trainval.dim() != test.dim()) {
      throw new IllegalArgumentException(
          "trainval has " + trainval.dim() + " features, test " + test.dim());
    }
    Feature[][] examples = LinearSvm.examples(trainval);
    List<ClassResult> results = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      results.add(
          evaluateClass(
              classes.get(c), examples, trainval, trainvalLabels[c], test, testLabels[c]));
    }
    return new Report(results);
  }

  private static ClassResult evaluateClass(
      String name,
      Feature[][] examples,
      FeatureMatrix trainval,
      int[] trainLabels,
      FeatureMatrix test,
      int[] testLabels) {
    boolean[] positive = new boolean[trainLabels.length];
    int trainPositives = 0;
    for (int i = 0; i < positive.length; i++) {
      positive[i] = trainLabels[i] > 0;
      trainPositives += positive[i] ? 1 : 0;
    }
    int testPositives = 0;
    for (int label : testLabels) {
      testPositives += label > 0 ? 1 : 0;
    }
    if (trainPositives == 0 || trainPositives == positive.length) {
      String reason = trainPositives == 0 ? "no positive in trainval" : "no negative in trainval";
      return skipped(name, trainPositives, testPositives, reason);
    }
    CrossValidation cv = crossValidate(examples, trainval, positive);
    LinearSvm svm =
        LinearSvm.train(examples, trainval.dim(), range(positive.length), positive, cv.cost);
    double[] scores = svm.decisions(test, range(test.rows()));
    double ap = AveragePrecision.of(scores, testLabels);
    Optional<String> reason =
        Double.isNaN(ap) ? Optional.of("no positive in test") : Optional.empty();
    return new ClassResult(name, cv.cost, cv.score, ap, trainPositives, testPositives, reason);
  }

  private static ClassResult skipped(
      String name, int trainPositives, int testPositives, String why) {
    return new ClassResult(
        name, Double.NaN, Double.NaN, Double.NaN, trainPositives, testPositives, Optional.of(why));
  }

  private record CrossValidation(double cost, double score) {}

  private static CrossValidation crossValidate(
      Feature[][] examples, FeatureMatrix trainval, boolean[] positive) {
    int[] fold = folds(positive);
    double bestCost = FALLBACK_COST;
    double bestScore = Double.NaN;
    for (double cost : COSTS) {
      double score = foldMeanAp(examples, trainval, positive, fold, cost);
      if (!Double.isNaN(score) && (Double.isNaN(bestScore) || score > bestScore)) {
        bestCost = cost;
        bestScore = score;
      }
    }
    return new CrossValidation(bestCost, bestScore);
  }

  private static double foldMeanAp(
      Feature[][] examples, FeatureMatrix trainval, boolean[] positive, int[] fold, double cost) {
    double sum = 0;
    int scored = 0;
    for (int k = 0; k < FOLDS; k++) {
      int[] heldOut = rowsWhere(fold, k, true);
      int[] rest = rowsWhere(fold, k, false);
      if (!hasBoth(rest, positive) || !hasPositive(heldOut, positive)) {
        continue;
      }
      LinearSvm svm = LinearSvm.train(examples, trainval.dim(), rest, positive, cost);
      int[] labels = new int[heldOut.length];
      for (int i = 0; i < heldOut.length; i++) {
        labels[i] = positive[heldOut[i]] ? 1 : -1;
      }
      sum += AveragePrecision.of(svm.decisions(trainval, heldOut), labels);
      scored++;
    }
    return scored == 0 ? Double.NaN : sum / scored;
  }

  /**
   * Assigns every image a fold: positives and negatives are each cut, in image order, into {@link
   * #FOLDS} contiguous parts whose sizes differ by at most one, larger parts first.
   */
  static int[] folds(boolean[] positive) {
    int[] fold = new int[positive.length];
    for (boolean side : new boolean[] {true, false}) {
      int count = 0;
      for (boolean p : positive) {
        count += p == side ? 1 : 0;
      }
      int seen = 0;
      for (int i = 0; i < positive.length; i++) {
        if (positive[i] == side) {
          fold[i] = partOf(seen++, count);
        }
      }
    }
    return fold;
  }

  // Part sizes are count / FOLDS, plus one for the first count % FOLDS parts.
  private static int partOf(int rank, int count) {
    int base = count / FOLDS;
    int larger = count % FOLDS;
    int inLarger = larger * (base + 1);
    return rank < inLarger ? rank / (base + 1) : larger + (rank - inLarger) / Math.max(base, 1);
  }

  private static int[] rowsWhere(int[] fold, int k, boolean inFold) {
    return IntStream.range(0, fold.length).filter(i -> (fold[i] == k) == inFold).toArray();
  }

  private static boolean hasPositive(int[] rows, boolean[] positive) {
    for (int r : rows) {
      if (positive[r]) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasBoth(int[] rows, boolean[] positive) {
    int positives = 0;
    for (int r : rows) {
      positives += positive[r] ? 1 : 0;
    }
    return positives > 0 && positives < rows.length;
  }

  private static int[] range(int n) {
    return IntStream.range(0, n).toArray();
  }
}
