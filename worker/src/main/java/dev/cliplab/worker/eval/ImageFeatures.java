package dev.cliplab.worker.eval;

/**
 * What a frozen model makes of a set of images, row i for image i.
 *
 * @param backbone the pooled backbone features, before the projection head, as the encoder gives
 *     them (not normalised)
 * @param embeddings the projected unit embeddings, as the image tower gives them
 */
public record ImageFeatures(FeatureMatrix backbone, FeatureMatrix embeddings) {

  /** Checks that both have a row per image. */
  public ImageFeatures {
    if (backbone.rows() != embeddings.rows()) {
      throw new IllegalArgumentException(
          backbone.rows() + " backbone rows but " + embeddings.rows() + " embedding rows");
    }
  }

  /** Returns the number of images. */
  public int count() {
    return backbone.rows();
  }
}
