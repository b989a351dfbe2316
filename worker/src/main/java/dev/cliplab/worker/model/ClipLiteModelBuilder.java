package dev.cliplab.worker.model;

/**
 * Settings of a {@link ClipLiteModel}: the image encoder, the text encoder, the embedding size and
 * whether the prior discriminator is on. The defaults are a small CPU-sized model.
 */
public final class ClipLiteModelBuilder {

  private final ResNetEncoder.Builder image =
      ResNetEncoder.builder().setDepths(2, 2, 2, 2).optWidth(32);
  private final TextEncoder.Builder text = TextEncoder.builder().optHidden(128).optLayers(2);
  private int embedDim = 128;
  private boolean prior;

  ClipLiteModelBuilder() {}

  /**
   * Sets the number of token ids, padding included.
   *
   * @param vocabularySize the vocabulary size
   * @return this builder
   */
  public ClipLiteModelBuilder setVocabularySize(int vocabularySize) {
    text.setVocabularySize(vocabularySize);
    return this;
  }

  /**
   * Sets the caption length in tokens.
   *
   * @param maxTokens the maximum number of tokens
   * @return this builder
   */
  public ClipLiteModelBuilder setMaxTokens(int maxTokens) {
    text.setMaxTokens(maxTokens);
    return this;
  }

  /**
   * Sets the size of the shared embedding space.
   *
   * @param embedDim the embedding size
   * @return this builder
   */
  public ClipLiteModelBuilder optEmbedDim(int embedDim) {
    if (embedDim < 1) {
      throw new IllegalArgumentException("embedding size must be positive: " + embedDim);
    }
    this.embedDim = embedDim;
    return this;
  }

  /**
   * Sets a standard ResNet depth and block type by name.
   *
   * @param name one of {@link ResNetEncoder#ARCHITECTURES}
   * @return this builder
   */
  public ClipLiteModelBuilder optImageArchitecture(String name) {
    image.optArchitecture(name);
    return this;
  }

  /**
   * Sets the basic blocks per ResNet stage, for a network that is not a standard depth.
   *
   * @param imageDepths blocks per stage
   * @return this builder
   */
  public ClipLiteModelBuilder optImageDepths(int... imageDepths) {
    image.setDepths(imageDepths).optBottleneck(false);
    return this;
  }

  /**
   * Sets the ResNet base width; 64 is the standard ResNet.
   *
   * @param imageWidth channels of the first stage
   * @return this builder
   */
  public ClipLiteModelBuilder optImageWidth(int imageWidth) {
    image.optWidth(imageWidth);
    return this;
  }

  /**
   * Sets the ResNet stem.
   *
   * @param stem the stem
   * @return this builder
   */
  public ClipLiteModelBuilder optImageStem(ResNetEncoder.Stem stem) {
    image.optStem(stem);
    return this;
  }

  /**
   * Sets whether residual blocks start as their shortcut; see {@link
   * ResNetEncoder.Builder#optZeroInitResidual}.
   *
   * @param zeroInitResidual whether to zero the last norm scale of each residual path
   * @return this builder
   */
  public ClipLiteModelBuilder optZeroInitResidual(boolean zeroInitResidual) {
    image.optZeroInitResidual(zeroInitResidual);
    return this;
  }

  /**
   * Sets the transformer hidden size.
   *
   * @param textHidden the hidden size, a multiple of the head count
   * @return this builder
   */
  public ClipLiteModelBuilder optTextHidden(int textHidden) {
    text.optHidden(textHidden);
    return this;
  }

  /**
   * Sets the number of transformer layers.
   *
   * @param textLayers the layer count
   * @return this builder
   */
  public ClipLiteModelBuilder optTextLayers(int textLayers) {
    text.optLayers(textLayers);
    return this;
  }

  /**
   * Sets the number of attention heads.
   *
   * @param textHeads the head count
   * @return this builder
   */
  public ClipLiteModelBuilder optTextHeads(int textHeads) {
    text.optHeads(textHeads);
    return this;
  }

  /**
   * Sets how the text encoder pools its token states.
   *
   * @param pooling the pooling
   * @return this builder
   */
  public ClipLiteModelBuilder optTextPooling(TextEncoder.Pooling pooling) {
    text.optPooling(pooling);
    return this;
  }

  /**
   * Adds Deep InfoMax's prior discriminator, whose logits join the forward output.
   *
   * @param prior whether the prior term is computed
   * @return this builder
   */
  public ClipLiteModelBuilder optPrior(boolean prior) {
    this.prior = prior;
    return this;
  }

  /**
   * Builds the model.
   *
   * @return the model block, not yet initialised
   * @throws IllegalArgumentException if the vocabulary size or token count is missing, or the text
   *     sizes do not fit together
   */
  public ClipLiteModel build() {
    return new ClipLiteModel(image.build(), text.build(), embedDim, prior);
  }
}
