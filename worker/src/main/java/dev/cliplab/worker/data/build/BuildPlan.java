package dev.cliplab.worker.data.build;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How large a corpus to build from the sources: image size, pretraining styles and how many images
 * of each kind; -1 means all there are.
 *
 * @param name what the plan is called in the manifest
 * @param longSide the most pixels on an image's longer side
 * @param trainVendors the emoji styles in pretraining
 * @param trainEmoji how many distinct emoji to pretrain on (held-out ones first), or -1
 * @param clipart about how many drawings to pretrain on, or -1
 * @param stamps how many Tux Paint stamps to pretrain on, or -1
 * @param heldoutPerClass how many held-out emoji of each group, or -1 for all (the zero-shot labels
 *     are then balanced down to the smallest group)
 * @param valFraction the share of pretraining images set aside for validation
 * @param fashionTrain how many Fashion-MNIST training images to keep, or -1 for the package's files
 *     as they are
 * @param fashionTest how many Fashion-MNIST test images to keep, or -1 for the package's files
 * @param licenses whether to write a {@code LICENSES.md} beside the manifest
 */
record BuildPlan(
    String name,
    int longSide,
    List<String> trainVendors,
    int trainEmoji,
    int clipart,
    int stamps,
    int heldoutPerClass,
    double valFraction,
    int fashionTrain,
    int fashionTest,
    boolean licenses) {

  /**
   * The version of what the builder writes; raising it when the output changes (captions, image
   * processing, layout) makes existing corpora stale.
   */
  public static final int BUILDER_VERSION = 4;

  /**
   * The most clip-art drawings that may share one identical caption set (compared normalised):
   * whole icon sets and shape series carry the same captions, and in contrastive training such
   * drawings are false negatives of one another in every batch. Which ones are kept is repeatable
   * and independent of the archive's order; the others are counted as skipped.
   */
  public static final int CLIPART_PER_CAPTION_SET = 8;

  /** The most classes of the VOC-style multi-label set, as many as Pascal VOC has. */
  public static final int VOC_CLASSES = 20;

  /** Copies the vendor list so that the record stays immutable. */
  public BuildPlan {
    trainVendors = List.copyOf(trainVendors);
  }

  /** Returns the plan of the demo corpus: every image of the training styles, at 96 px. */
  public static BuildPlan demo() {
    return new BuildPlan(
        "demo", 96, SourcePackage.TRAIN_VENDORS, -1, -1, -1, -1, 0.03, -1, -1, false);
  }

  /**
   * Returns the plan of the committed test fixture: a few hundred images at 64 px, only freely
   * licensed artwork (Google and Twitter emoji, public-domain clip art, GPL stamps), and the first
   * 100 training and 50 test images of Fashion-MNIST.
   */
  public static BuildPlan fixture() {
    return new BuildPlan("fixture", 64, List.of("google"), 160, 100, 12, 13, 0.075, 100, 50, true);
  }

  /** Returns the plan as JSON, for the manifest and for telling whether a build is current. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("builderVersion", BUILDER_VERSION)
        .put("longSide", longSide)
        .put("trainVendors", new JsonArray(trainVendors))
        .put("heldoutVendor", SourcePackage.HELDOUT_VENDOR)
        .put("trainEmoji", trainEmoji)
        .put("clipart", clipart)
        .put("stamps", stamps)
        .put("heldoutPerClass", heldoutPerClass)
        .put("valFraction", valFraction)
        .put("vocClasses", VOC_CLASSES)
        .put("fashionTrain", fashionTrain)
        .put("fashionTest", fashionTest);
  }
}
