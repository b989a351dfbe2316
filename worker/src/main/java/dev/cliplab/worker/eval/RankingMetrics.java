package dev.cliplab.worker.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recall@K and top-1 accuracy from similarity matrices.
 *
 * <p>Ties count against the model: a wrong candidate that scores the same as the right one ranks
 * ahead of it. Otherwise a model that maps everything to one point would score perfectly. For the
 * same reason a NaN score counts as negative infinity.
 */
public final class RankingMetrics {

  /** The K of the reported recalls. */
  public static final int[] RECALL_KS = {1, 5, 10};

  private RankingMetrics() {}

  /**
   * Image → text and text → image recall at 1, 5 and 10.
   *
   * @param similarity similarity[i][c] between image i and caption c
   * @param captionImage the image each caption describes
   * @return {@code i2t_r1, i2t_r5, i2t_r10, t2i_r1, t2i_r5, t2i_r10}, in that order
   */
  public static Map<String, Double> retrieval(float[][] similarity, int[] captionImage) {
    double[] i2t = imageToTextRecall(similarity, captionImage, RECALL_KS);
    double[] t2i = textToImageRecall(similarity, captionImage, RECALL_KS);
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (int k = 0; k < RECALL_KS.length; k++) {
      metrics.put("i2t_r" + RECALL_KS[k], i2t[k]);
    }
    for (int k = 0; k < RECALL_KS.length; k++) {
      metrics.put("t2i_r" + RECALL_KS[k], t2i[k]);
    }
    return metrics;
  }

  /**
   * For each image with captions, the rank of its best-scored own caption among all captions; the
   * fraction of those images whose rank is at most K.
   *
   * @param similarity similarity[i][c] between image i and caption c
   * @param captionImage the image each caption describes
   * @param ks the cut-offs
   * @return one recall per cut-off (0 when no image has a caption)
   */
  public static double[] imageToTextRecall(float[][] similarity, int[] captionImage, int[] ks) {
    int[] hits = new int[ks.length];
    int queries = 0;
    for (int image = 0; image < similarity.length; image++) {
      float[] row = similarity[image];
      float best = Float.NEGATIVE_INFINITY;
      boolean hasCaption = false;
      for (int c = 0; c < row.length; c++) {
        if (captionImage[c] == image) {
          hasCaption = true;
          best = Math.max(best, score(row[c]));
        }
      }
      if (!hasCaption) {
        continue;
      }
      queries++;
      int ahead = 0;
      for (int c = 0; c < row.length; c++) {
        if (captionImage[c] != image && score(row[c]) >= best) {
          ahead++;
        }
      }
      count(hits, ks, ahead + 1);
    }
    return fractions(hits, queries);
  }

  /**
   * For each caption, the rank of its image among all images; the fraction of captions whose rank
   * is at most K.
   *
   * @param similarity similarity[i][c] between image i and caption c
   * @param captionImage the image each caption describes
   * @param ks the cut-offs
   * @return one recall per cut-off (0 when there are no captions)
   */
  public static double[] textToImageRecall(float[][] similarity, int[] captionImage, int[] ks) {
    int[] hits = new int[ks.length];
    for (int c = 0; c < captionImage.length; c++) {
      float own = score(similarity[captionImage[c]][c]);
      int ahead = 0;
      for (int image = 0; image < similarity.length; image++) {
        if (image != captionImage[c] && score(similarity[image][c]) >= own) {
          ahead++;
        }
      }
      count(hits, ks, ahead + 1);
    }
    return fractions(hits, captionImage.length);
  }

  /**
   * The fraction of rows whose labelled column scores strictly higher than every other column.
   *
   * @param similarity similarity[i][k] between item i and class k
   * @param labels the class of each row
   * @return the top-1 accuracy (0 for no rows)
   */
  public static double top1(float[][] similarity, int[] labels) {
    int correct = 0;
    for (int i = 0; i < similarity.length; i++) {
      float own = score(similarity[i][labels[i]]);
      boolean beaten = false;
      for (int k = 0; k < similarity[i].length && !beaten; k++) {
        beaten = k != labels[i] && score(similarity[i][k]) >= own;
      }
      if (!beaten) {
        correct++;
      }
    }
    return similarity.length == 0 ? 0 : correct / (double) similarity.length;
  }

  /**
   * The fraction of rows whose labelled column is among the {@code k} highest: fewer than {@code k}
   * other columns score at least as high as it (ties count against the model, as in {@link #top1}).
   *
   * @param scores scores[i][c] of item i for class c
   * @param labels the class of each row
   * @param k the cut-off, at least 1
   * @return the top-k accuracy (0 for no rows)
   */
  public static double topK(float[][] scores, int[] labels, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, was " + k);
    }
    int correct = 0;
    for (int i = 0; i < scores.length; i++) {
      float own = score(scores[i][labels[i]]);
      int ahead = 0;
      for (int c = 0; c < scores[i].length; c++) {
        if (c != labels[i] && score(scores[i][c]) >= own) {
          ahead++;
        }
      }
      if (ahead < k) {
        correct++;
      }
    }
    return scores.length == 0 ? 0 : correct / (double) scores.length;
  }

  /**
   * The mean of the six recalls of {@link #retrieval} (rsum / 6), the single number that ranks
   * retrieval models.
   *
   * @param recalls the map {@link #retrieval} returns
   * @return their mean
   */
  public static double meanRecall(Map<String, Double> recalls) {
    if (recalls.size() != 2 * RECALL_KS.length) {
      throw new IllegalArgumentException("expected the six recalls, got " + recalls.keySet());
    }
    return recalls.values().stream().mapToDouble(Double::doubleValue).sum() / recalls.size();
  }

  private static float score(float value) {
    return Float.isNaN(value) ? Float.NEGATIVE_INFINITY : value;
  }

  private static void count(int[] hits, int[] ks, int rank) {
    for (int k = 0; k < ks.length; k++) {
      if (rank <= ks[k]) {
        hits[k]++;
      }
    }
  }

  private static double[] fractions(int[] hits, int queries) {
    double[] out = new double[hits.length];
    for (int k = 0; k < hits.length; k++) {
      out[k] = queries == 0 ? 0 : hits[k] / (double) queries;
    }
    return out;
  }
}
