package dev.cliplab.worker.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Average precision of a ranking, as the VOC07 SVM protocol of VirTex (and CLIP-Lite, which reuses
 * its script) computes it with scikit-learn's {@code average_precision_score}: the area under the
 * full, non-interpolated precision–recall curve, AP = Σₖ (Rₖ − Rₖ₋₁) · Pₖ over the distinct score
 * thresholds from the highest down. It is neither VOC2007's 11-point interpolated AP nor the
 * interpolated all-point AP of the VOC2010 devkit (and of Goyal et al.'s benchmark), which both
 * replace each precision by the best precision at any higher recall.
 *
 * <p>Ties: images with equal scores form one threshold, so they enter the ranking together and each
 * positive among them gets the precision at the end of the tie, whatever order they were listed in.
 * A NaN score counts as negative infinity, so a broken model cannot rank its way up.
 */
public final class AveragePrecision {

  private AveragePrecision() {}

  /**
   * Computes AP over the images whose label is not {@link
   * dev.cliplab.worker.data.ClassificationSet#DIFFICULT}.
   *
   * @param scores each image's score for the class, higher meaning more likely present
   * @param labels each image's label: 1 present, -1 absent, 0 difficult (left out)
   * @return AP in [0, 1], or NaN when no evaluated image is positive (AP is undefined then)
   */
  public static double of(double[] scores, int[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          scores.length + " scores for " + labels.length + " labels");
    }
    Integer[] order =
        IntStream.range(0, scores.length)
            .filter(i -> labels[i] != 0)
            .boxed()
            .toArray(Integer[]::new);
    long positives = Arrays.stream(order).filter(i -> labels[i] > 0).count();
    if (positives == 0) {
      return Double.NaN;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score(scores[i])).reversed());
    double ap = 0;
    double recalled = 0;
    int truePositives = 0;
    for (int start = 0; start < order.length; ) {
      double threshold = score(scores[order[start]]);
      int end = start;
      while (end < order.length && score(scores[order[end]]) == threshold) {
        truePositives += labels[order[end]] > 0 ? 1 : 0;
        end++;
      }
      double recall = truePositives / (double) positives;
      ap += (recall - recalled) * (truePositives / (double) end);
      recalled = recall;
      start = end;
    }
    return ap;
  }

  private static double score(double value) {
    return Double.isNaN(value) ? Double.NEGATIVE_INFINITY : value;
  }
}
