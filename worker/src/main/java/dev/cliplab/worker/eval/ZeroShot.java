package dev.cliplab.worker.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot classification as CLIP does it: each class name is put into prompt templates, the
 * prompts are embedded by the text tower, and an image is given the class whose text embedding has
 * the highest cosine with its own.
 *
 * <p>With several templates the class embedding is their ensemble: the mean of the templates'
 * L2-normalised embeddings, normalised again.
 */
public final class ZeroShot {

  /** The placeholder a template holds for the class name. */
  public static final String PLACEHOLDER = "{}";

  /**
   * Templates for the held-out emoji groups, in the words of the training captions: a picture, an
   * emoji, a drawing, and the bare name, as keyword captions are.
   */
  public static final List<String> EMOJI_TEMPLATES =
      List.of("a picture of a {}.", "an emoji of a {}.", "a drawing of a {}.", "{}");

  /** Templates for Fashion-MNIST's product photos. */
  public static final List<String> FASHION_TEMPLATES =
      List.of("a picture of a {}.", "a photo of a {}.", "a drawing of a {}.", "{}");

  private ZeroShot() {}

  /**
   * Puts every class name into every template.
   *
   * @param templates templates, each holding {@link #PLACEHOLDER} once
   * @param classNames the class names
   * @return the prompts, template-major: template t, class c at {@code t * classes + c}
   */
  public static List<String> prompts(List<String> templates, List<String> classNames) {
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("zero-shot needs at least one prompt template");
    }
    List<String> prompts = new ArrayList<>();
    for (String template : templates) {
      int at = template.indexOf(PLACEHOLDER);
      if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) {
        throw new IllegalArgumentException(
            "prompt template '" + template + "' must hold " + PLACEHOLDER + " exactly once");
      }
      for (String name : classNames) {
        prompts.add(template.replace(PLACEHOLDER, name));
      }
    }
    return prompts;
  }

  /**
   * The ensemble embedding of each class.
   *
   * @param promptEmbeddings the embeddings of {@link #prompts}, in its order
   * @param templates how many templates there were
   * @return one unit row per class (a class whose embeddings cancel out stays zero)
   */
  public static FeatureMatrix classEmbeddings(FeatureMatrix promptEmbeddings, int templates) {
    if (templates < 1 || promptEmbeddings.rows() % templates != 0) {
      throw new IllegalArgumentException(
          promptEmbeddings.rows() + " prompt embeddings for " + templates + " templates");
    }
    FeatureMatrix unit = promptEmbeddings.l2Normalized();
    int classes = unit.rows() / templates;
    int dim = unit.dim();
    float[] sum = new float[classes * dim];
    for (int c = 0; c < classes; c++) {
      for (int d = 0; d < dim; d++) {
        double total = 0;
        for (int t = 0; t < templates; t++) {
          total += unit.get(t * classes + c, d);
        }
        sum[c * dim + d] = (float) (total / templates);
      }
    }
    return new FeatureMatrix(classes, dim, sum).l2Normalized();
  }

  /**
   * Top-1 accuracy of zero-shot classification.
   *
   * @param imageEmbeddings one row per image
   * @param classEmbeddings one unit row per class, from {@link #classEmbeddings}
   * @param labels the class of each image
   * @return the fraction of images whose own class has the strictly highest cosine
   */
  public static double top1(
      FeatureMatrix imageEmbeddings, FeatureMatrix classEmbeddings, int[] labels) {
    return RankingMetrics.top1(imageEmbeddings.l2Normalized().dot(classEmbeddings), labels);
  }
}
