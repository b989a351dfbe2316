package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm transformer encoder layer: masked multi-head self-attention and a GELU feed-forward
 * network, each behind a layer norm and added back to its input.
 *
 * <p>DJL's own {@code TransformerEncoderBlock} normalises with batch norm across the sequence,
 * which mixes padding into the statistics, so captions of different lengths would see different
 * normalisations; this layer uses layer norm instead.
 */
final class TransformerLayer extends AbstractBlock {

  private final ScaledDotProductAttentionBlock attention;
  private final LayerNorm attentionNorm;
  private final LayerNorm feedForwardNorm;
  private final SequentialBlock feedForward;

  TransformerLayer(int hidden, int heads) {
    attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().axis(2).build());
    attention =
        addChildBlock(
            "attention",
            ScaledDotProductAttentionBlock.builder()
                .setEmbeddingSize(hidden)
                .setHeadCount(heads)
                .optAttentionProbsDropoutProb(0f)
                .build());
    feedForwardNorm = addChildBlock("feed_forward_norm", LayerNorm.builder().axis(2).build());
    feedForward =
        addChildBlock(
            "feed_forward",
            new SequentialBlock()
                .add(Linear.builder().setUnits(4L * hidden).build())
                .add(Activation::gelu)
                .add(Linear.builder().setUnits(hidden).build()));
  }

  /** Inputs: (B, L, H) hidden states and a (B, L, L) keep-mask; output: (B, L, H). */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);

    NDArray normed = attentionNorm.forward(ps, new NDList(x), training).head();
    NDArray attended = attention.forward(ps, new NDList(normed, mask), training).head();
    x = x.add(attended);

    NDArray normedAgain = feedForwardNorm.forward(ps, new NDList(x), training).head();
    NDArray fed = feedForward.forward(ps, new NDList(normedAgain), training).head();
    return new NDList(x.add(fed));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    attentionNorm.initialize(manager, dataType, inputShapes[0]);
    attention.initialize(manager, dataType, inputShapes);
    feedForwardNorm.initialize(manager, dataType, inputShapes[0]);
    feedForward.initialize(manager, dataType, inputShapes[0]);
  }
}
