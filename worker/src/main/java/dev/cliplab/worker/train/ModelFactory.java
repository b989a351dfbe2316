package dev.cliplab.worker.train;

import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.ResNetEncoder;

/** Builds the model a spec describes. */
public final class ModelFactory {

  /**
   * From this input size on, the stem halves the resolution; on a two-core CPU the stride-2 stem
   * trains a 32 px model about twice as fast as a stride-1 one and reaches better retrieval in the
   * same time.
   */
  static final int STRIDED_STEM_FROM = 32;

  /**
   * From this input size on, the stem is ImageNet's (7×7 stride-2 convolution and max pool, a
   * quarter of the resolution), so a 224 px model is the paper's network; below it that stem would
   * leave the last stage a map of 3×3 or less.
   */
  static final int IMAGENET_STEM_FROM = 128;

  private ModelFactory() {}

  /**
   * Basic blocks per stage of the image encoder.
   *
   * @throws UnsupportedOperationException for the bottleneck ResNets, which this does not describe;
   *     {@link ClipLiteModel#forwardFlops} counts every encoder
   */
  static int[] depths(String imageEncoder) {
    return switch (imageEncoder) {
      case "resnet10" -> new int[] {1, 1, 1, 1};
      case "resnet18" -> new int[] {2, 2, 2, 2};
      case "resnet34" -> new int[] {3, 4, 6, 3};
      default ->
          throw new UnsupportedOperationException(
              "image_encoder " + imageEncoder + " has bottleneck blocks");
    };
  }

  /** The stem for an input size. */
  static ResNetEncoder.Stem stem(int imageSize) {
    if (imageSize >= IMAGENET_STEM_FROM) {
      return ResNetEncoder.Stem.IMAGENET;
    }
    return imageSize >= STRIDED_STEM_FROM ? ResNetEncoder.Stem.STRIDED : ResNetEncoder.Stem.SMALL;
  }

  /**
   * Builds the network a spec describes, uninitialised.
   *
   * @param spec the hyperparameters
   * @param vocabularySize the number of token ids
   * @return the network
   */
  public static ClipLiteModel build(TrainSpec spec, int vocabularySize) {
    return ClipLiteModel.builder()
        .setVocabularySize(vocabularySize)
        .setMaxTokens(spec.maxTokens())
        .optEmbedDim(spec.embedDim())
        .optImageArchitecture(spec.imageEncoder())
        .optImageWidth(spec.imageWidth())
        .optImageStem(stem(spec.imageSize()))
        .optTextHidden(spec.textHidden())
        .optTextLayers(spec.textLayers())
        .optTextHeads(spec.textHeads())
        .optPrior(spec.priorWeight() > 0)
        .build();
  }
}
