package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The CLIP-Lite network: an image tower and a text tower that each end in a projection head and an
 * L2 normalisation, and the critic T(x, y) = exp(t) · cos(z_img, z_txt) with a learnable t.
 *
 * <p>Training forward: inputs (images (B, 3, S, S), tokens (B, L)); outputs (unit image embeddings
 * (B, E), unit text embeddings (B, E), the critic scale exp(t) of shape (1)). The two towers can
 * also run on their own, which is how the evaluations embed unequal numbers of images and captions.
 */
public final class ClipLiteModel extends AbstractBlock {

  /** The temperature the critic starts at, as in CLIP. */
  public static final double INITIAL_TEMPERATURE = 0.07;

  /** The largest critic scale; CLIP's cap, which keeps the logits from running away. */
  public static final double MAX_SCALE = 100.0;

  private final SequentialBlock imageTower;
  private final SequentialBlock textTower;
  private final Parameter logScale;

  private ClipLiteModel(Builder builder) {
    imageTower =
        addChildBlock(
            "image",
            new SequentialBlock()
                .add(
                    ResNetEncoder.builder()
                        .setDepths(builder.imageDepths)
                        .optWidth(builder.imageWidth)
                        .optStemStride(builder.stemStride)
                        .build())
                .add(ProjectionHead.builder().setOutputSize(builder.embedDim).build())
                .add(ClipLiteModel::unit));
    textTower =
        addChildBlock(
            "text",
            new SequentialBlock()
                .add(
                    TextEncoder.builder()
                        .setVocabularySize(builder.vocabularySize)
                        .setMaxTokens(builder.maxTokens)
                        .optHidden(builder.textHidden)
                        .optLayers(builder.textLayers)
                        .optHeads(builder.textHeads)
                        .build())
                .add(ProjectionHead.builder().setOutputSize(builder.embedDim).build())
                .add(ClipLiteModel::unit));
    logScale =
        addParameter(
            Parameter.builder()
                .setName("log_scale")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(1 / INITIAL_TEMPERATURE)))
                .build());
  }

  /**
   * Starts a builder.
   *
   * @return a builder; the vocabulary size and maximum token count must be set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The critic matrix for a set of images and a set of captions.
   *
   * @param images unit image embeddings (N, E)
   * @param texts unit text embeddings (M, E)
   * @param scale the critic scale exp(t), shape (1)
   * @return the (N, M) matrix of exp(t) · cos(image i, caption j)
   */
  public static NDArray critic(NDArray images, NDArray texts, NDArray scale) {
    return images.matMul(texts.transpose()).mul(scale);
  }

  /**
   * The image tower, images (B, 3, S, S) in [-1, 1] to unit embeddings (B, E).
   *
   * @return the image tower
   */
  public Block imageTower() {
    return imageTower;
  }

  /**
   * The text tower, token ids (B, L) to unit embeddings (B, E).
   *
   * @return the text tower
   */
  public Block textTower() {
    return textTower;
  }

  /**
   * The current critic temperature 1/exp(t), read from the initialised parameter.
   *
   * @return the temperature
   */
  public double temperature() {
    double t = logScale.getArray().getFloat();
    return 1.0 / Math.min(Math.exp(t), MAX_SCALE);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray images = imageTower.forward(ps, new NDList(inputs.get(0)), training).head();
    NDArray texts = textTower.forward(ps, new NDList(inputs.get(1)), training).head();
    NDArray t = ps.getValue(logScale, images.getDevice(), training);
    // Adding t to a zero made from the images keeps the scale in the caller's (per-step) manager;
    // t.exp() would attach a new array to the model's manager at every step.
    NDArray scale = images.getManager().zeros(t.getShape()).add(t);
    scale = scale.clip(0, Math.log(MAX_SCALE)).exp();
    return new NDList(images, texts, scale);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] image = imageTower.getOutputShapes(new Shape[] {inputShapes[0]});
    Shape[] text = textTower.getOutputShapes(new Shape[] {inputShapes[1]});
    return new Shape[] {image[0], text[0], new Shape(1)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    imageTower.initialize(manager, dataType, inputShapes[0]);
    textTower.initialize(manager, dataType, inputShapes[1]);
  }

  private static NDList unit(NDList embeddings) {
    return new NDList(embeddings.head().normalize(2, 1, 1e-6));
  }

  /** Settings of a {@link ClipLiteModel}. */
  public static final class Builder {
    private int vocabularySize;
    private int maxTokens;
    private int embedDim = 128;
    private int[] imageDepths = {2, 2, 2, 2};
    private int imageWidth = 32;
    private int stemStride = 1;
    private int textHidden = 128;
    private int textLayers = 2;
    private int textHeads = 4;

    private Builder() {}

    /**
     * Sets the number of token ids, padding included.
     *
     * @param vocabularySize the vocabulary size
     * @return this builder
     */
    public Builder setVocabularySize(int vocabularySize) {
      this.vocabularySize = vocabularySize;
      return this;
    }

    /**
     * Sets the caption length in tokens.
     *
     * @param maxTokens the maximum number of tokens
     * @return this builder
     */
    public Builder setMaxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Sets the size of the shared embedding space.
     *
     * @param embedDim the embedding size
     * @return this builder
     */
    public Builder optEmbedDim(int embedDim) {
      this.embedDim = embedDim;
      return this;
    }

    /**
     * Sets the basic blocks per ResNet stage.
     *
     * @param imageDepths blocks per stage
     * @return this builder
     */
    public Builder optImageDepths(int... imageDepths) {
      this.imageDepths = imageDepths.clone();
      return this;
    }

    /**
     * Sets the ResNet base width.
     *
     * @param imageWidth channels of the first stage
     * @return this builder
     */
    public Builder optImageWidth(int imageWidth) {
      this.imageWidth = imageWidth;
      return this;
    }

    /**
     * Sets the ResNet stem stride (1 for about 32 px, 2 for 64 px and up).
     *
     * @param stemStride 1 or 2
     * @return this builder
     */
    public Builder optStemStride(int stemStride) {
      this.stemStride = stemStride;
      return this;
    }

    /**
     * Sets the transformer hidden size.
     *
     * @param textHidden the hidden size
     * @return this builder
     */
    public Builder optTextHidden(int textHidden) {
      this.textHidden = textHidden;
      return this;
    }

    /**
     * Sets the number of transformer layers.
     *
     * @param textLayers the layer count
     * @return this builder
     */
    public Builder optTextLayers(int textLayers) {
      this.textLayers = textLayers;
      return this;
    }

    /**
     * Sets the number of attention heads.
     *
     * @param textHeads the head count
     * @return this builder
     */
    public Builder optTextHeads(int textHeads) {
      this.textHeads = textHeads;
      return this;
    }

    /**
     * Builds the model.
     *
     * @return the model block, not yet initialised
     */
    public ClipLiteModel build() {
      return new ClipLiteModel(this);
    }
  }
}
