package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A BERT-style transformer over caption token ids: token and learned position embeddings, pre-norm
 * encoder layers with padding masked out of attention, a final layer norm and a pooled output.
 *
 * <p>Input: (B, L) token ids where id 0 is padding and every caption starts with a non-padding
 * token (the BOS); output: (B, hidden).
 */
public final class TextEncoder extends AbstractBlock {

  /** The token id that marks padding. */
  public static final int PAD_ID = 0;

  /** How the token states become one caption vector. */
  public enum Pooling {
    /**
     * BERT's pooler, which the paper's code uses: a tanh layer over the first (BOS) token's state,
     * which attends to the whole caption.
     */
    FIRST_TOKEN,
    /** The mean of the non-padding tokens' states, as sentence-transformers pool. */
    MEAN
  }

  private final int hidden;
  private final Pooling pooling;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<TransformerLayer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear pooler;

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
    pooling = builder.pooling;
    pooler =
        pooling == Pooling.FIRST_TOKEN
            ? addChildBlock("pooler", Linear.builder().setUnits(hidden).build())
            : null;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with 2 layers, hidden size 128, 4 heads and first-token pooling
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

  /**
   * The forward cost for one caption of {@code tokens} tokens, padding included since attention
   * runs over it: 2 × the multiply-adds of the Q, K, V and output projections (4 L H²), the
   * feed-forward network (8 L H²), the attention scores and the weighted sum (2 L² H) in every
   * layer, and the pooler (H²). Embedding look-ups, norms, softmax and GELU are left out.
   *
   * @param tokens the caption length L
   * @return floating-point operations per caption
   */
  public long forwardFlops(int tokens) {
    long l = tokens;
    long h = hidden;
    long perLayer = 12 * l * h * h + 2 * l * l * h;
    long pool = pooling == Pooling.FIRST_TOKEN ? h * h : 0;
    return 2 * (layers.size() * perLayer + pool);
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
    if (pooling == Pooling.FIRST_TOKEN) {
      NDArray first = x.get(new NDIndex(":, 0, :"));
      return new NDList(pooler.forward(ps, new NDList(first), training).head().tanh());
    }
    NDArray summed = x.mul(keep.expandDims(2)).sum(new int[] {1});
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
    if (pooler != null) {
      pooler.initialize(manager, dataType, new Shape(tokens.get(0), hidden));
    }
  }

  /** Settings of a {@link TextEncoder}. */
  public static final class Builder {
    private int vocabularySize;
    private int maxTokens;
    private int hidden = 128;
    private int layers = 2;
    private int heads = 4;
    private Pooling pooling = Pooling.FIRST_TOKEN;

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
     * Sets how token states are pooled into the caption vector.
     *
     * @param pooling the pooling
     * @return this builder
     */
    public Builder optPooling(Pooling pooling) {
      this.pooling = pooling;
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
