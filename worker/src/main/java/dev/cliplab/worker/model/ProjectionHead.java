package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * The CLIP-Lite projection head (Deep InfoMax's "encode and dot" block): Linear (no bias) →
 * BatchNorm → ReLU → Linear, plus a linear shortcut from the input, summed and layer-normalised.
 *
 * <p>At initialisation the head is close to LayerNorm(input): the shortcut starts as a noisy copy
 * of its input ({@link NearIdentityInitializer}) and the last linear layer of the nonlinear branch
 * starts at zero. The paper's code leaves that layer at PyTorch's default initialisation; starting
 * it at zero keeps the encoder's own geometry in the first critic scores, and its weights still get
 * a gradient at the first step, so the branch grows from there (as zero-initialised residual
 * branches do). The shortcut has no bias: the branch's last layer has one, and a second would only
 * add to it. Input (B, in); output (B, out).
 */
public final class ProjectionHead extends AbstractBlock {

  /** The half-width of the uniform noise on the shortcut's identity, as in Deep InfoMax. */
  static final float SHORTCUT_NOISE = 0.01f;

  private final int outputSize;
  private final int hiddenSize;
  private final SequentialBlock mlp;
  private final Linear shortcut;
  private final LayerNorm norm;

  private ProjectionHead(Builder builder) {
    outputSize = builder.outputSize;
    hiddenSize = builder.hiddenSize;
    Linear last = Linear.builder().setUnits(outputSize).build();
    last.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    mlp =
        addChildBlock(
            "mlp",
            new SequentialBlock()
                .add(Linear.builder().setUnits(builder.hiddenSize).optBias(false).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(last));
    shortcut =
        addChildBlock("shortcut", Linear.builder().setUnits(outputSize).optBias(false).build());
    shortcut.setInitializer(new NearIdentityInitializer(SHORTCUT_NOISE), "weight");
    norm = addChildBlock("norm", LayerNorm.builder().build());
  }

  /**
   * Starts a builder.
   *
   * @return a builder; the output size must be set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The size of the embeddings the head outputs.
   *
   * @return the output size
   */
  public int outputSize() {
    return outputSize;
  }

  /**
   * The forward cost for one input vector: 2 × the multiply-adds of the three linear layers.
   *
   * @param inputSize the size of the input vector
   * @return floating-point operations per input
   */
  public long forwardFlops(long inputSize) {
    return 2 * (inputSize * hiddenSize + (long) hiddenSize * outputSize + inputSize * outputSize);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray projected = mlp.forward(ps, inputs, training).head();
    NDArray passed = shortcut.forward(ps, inputs, training).head();
    return norm.forward(ps, new NDList(projected.add(passed)), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), outputSize)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    mlp.initialize(manager, dataType, inputShapes);
    shortcut.initialize(manager, dataType, inputShapes);
    norm.initialize(manager, dataType, getOutputShapes(inputShapes));
  }

  /** Settings of a {@link ProjectionHead}. */
  public static final class Builder {
    private int outputSize;
    private int hiddenSize;

    private Builder() {}

    /**
     * Sets the embedding size the head projects to.
     *
     * @param outputSize the output size
     * @return this builder
     */
    public Builder setOutputSize(int outputSize) {
      this.outputSize = outputSize;
      return this;
    }

    /**
     * Sets the width of the hidden layer; it defaults to the output size.
     *
     * @param hiddenSize the hidden size
     * @return this builder
     */
    public Builder optHiddenSize(int hiddenSize) {
      this.hiddenSize = hiddenSize;
      return this;
    }

    /**
     * Builds the head.
     *
     * @return the projection head
     */
    public ProjectionHead build() {
      if (outputSize < 1) {
        throw new IllegalArgumentException("output size must be positive: " + outputSize);
      }
      if (hiddenSize < 1) {
        hiddenSize = outputSize;
      }
      return new ProjectionHead(this);
    }
  }
}
