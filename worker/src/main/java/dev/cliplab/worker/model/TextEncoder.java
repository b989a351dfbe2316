package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A small transformer over caption token ids: token and learned position embeddings, pre-norm
 * encoder layers with padding masked out of attention, and a mean over the non-padding tokens.
 *
 * <p>Input: (B, L) token ids where id 0 is padding and every caption starts with a non-padding
 * token; output: (B, hidden).
 */
public final class TextEncoder extends AbstractBlock {

  /** The token id that marks padding. */
  public static final int PAD_ID = 0;

  private final int hidden;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<TransformerLayer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;

  private TextEncoder(Builder builder) {
    hidden = builder.hidden;
    tokenEmbedding =
        addParameter(
            Parameter.builder()
                .setName("token_embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(builder.vocabularySize, hidden))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
    positionEmbedding =
        addParameter(
            Parameter.builder()
                .setName("position_embedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(builder.maxTokens, hidden))
                .optInitializer(new NormalInitializer(0.01f))
                .build());
    for (int i = 0; i < builder.layers; i++) {
      layers.add(addChildBlock("layer_" + i, new TransformerLayer(hidden, builder.heads)));
    }
    finalNorm = addChildBlock("final_norm", LayerNorm.builder().axis(2).build());
  }

  /**
   * Starts a builder.
   *
   * @return a builder with 2 layers, hidden size 128 and 4 heads
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The size of the pooled output.
   *
   * @return the hidden size
   */
  public int hiddenSize() {
    return hidden;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.head();
    long batch = tokens.getShape().get(0);
    long length = tokens.getShape().get(1);
    NDArray tokenTable = ps.getValue(tokenEmbedding, tokens.getDevice(), training);
    NDArray positionTable = ps.getValue(positionEmbedding, tokens.getDevice(), training);

    // Every result here starts from an input array, so it lives in the caller's (per-step) manager;
    // an op whose first operand is a parameter would attach its result to the model's manager and
    // keep it alive until the model closes.
    NDArray x = Embedding.embedding(tokens, tokenTable, SparseFormat.DENSE).head();
    NDArray positions = tokens.getManager().arange(0, (int) length, 1, DataType.INT64);
    x = x.add(Embedding.embedding(positions, positionTable, SparseFormat.DENSE).head());

    NDArray keep = tokens.neq(PAD_ID).toType(DataType.FLOAT32, false);
    NDArray mask = keep.reshape(batch, 1, length).broadcast(batch, length, length);
    for (TransformerLayer layer : layers) {
      x = layer.forward(ps, new NDList(x, mask), training).head();
    }
    x = finalNorm.forward(ps, new NDList(x), training).head();

    NDArray weights = keep.expandDims(2);
    NDArray summed = x.mul(weights).sum(new int[] {1});
    return new NDList(summed.div(keep.sum(new int[] {1}, true)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), hidden)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape tokens = inputShapes[0];
    Shape states = new Shape(tokens.get(0), tokens.get(1), hidden);
    Shape mask = new Shape(tokens.get(0), tokens.get(1), tokens.get(1));
    for (TransformerLayer layer : layers) {
      layer.initialize(manager, dataType, states, mask);
    }
    finalNorm.initialize(manager, dataType, states);
  }

  /** Settings of a {@link TextEncoder}. */
  public static final class Builder {
    private int vocabularySize;
    private int maxTokens;
    private int hidden = 128;
    private int layers = 2;
    private int heads = 4;

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
     * Sets the longest token sequence the position table covers.
     *
     * @param maxTokens the maximum sequence length
     * @return this builder
     */
    public Builder setMaxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Sets the hidden size; it must be a multiple of the head count.
     *
     * @param hidden the hidden size
     * @return this builder
     */
    public Builder optHidden(int hidden) {
      this.hidden = hidden;
      return this;
    }

    /**
     * Sets the number of encoder layers (0 leaves a bag of positioned embeddings).
     *
     * @param layers the layer count
     * @return this builder
     */
    public Builder optLayers(int layers) {
      this.layers = layers;
      return this;
    }

    /**
     * Sets the number of attention heads.
     *
     * @param heads the head count
     * @return this builder
     */
    public Builder optHeads(int heads) {
      this.heads = heads;
      return this;
    }

    /**
     * Builds the encoder.
     *
     * @return the text encoder
     */
    public TextEncoder build() {
      if (vocabularySize < 2 || maxTokens < 1) {
        throw new IllegalArgumentException(
            "vocabulary size and max tokens must be set: " + vocabularySize + ", " + maxTokens);
      }
      if (layers < 0 || heads < 1 || hidden < 1 || hidden % heads != 0) {
        throw new IllegalArgumentException(
            "hidden " + hidden + " must be a positive multiple of heads " + heads);
      }
      return new TextEncoder(this);
    }
  }
}
