package dev.cliplab.worker.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.Arrays;

/** Builds a ResNet image encoder of basic blocks that ends in a global average pool. */
public final class ResNetEncoder {

  private ResNetEncoder() {}

  /**
   * Starts a builder.
   *
   * @return a builder with ResNet-18 depths, base width 64 and a stride-1 stem
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The width of the pooled feature vector an encoder with these settings produces.
   *
   * @param width the base width of the first stage
   * @param stages the number of stages
   * @return the channel count of the last stage
   */
  public static int featureSize(int width, int stages) {
    return width << (stages - 1);
  }

  private static Block conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .setFilters(filters)
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(false)
        .build();
  }

  private static Block basicBlock(int filters, int stride, boolean projectShortcut) {
    BatchNorm lastNorm = BatchNorm.builder().build();
    // A zero scale on the last norm makes each block start as the identity, which lets a deep
    // net train from the first steps with a large learning rate.
    lastNorm.setInitializer(Initializer.ZEROS, Parameter.Type.GAMMA);
    SequentialBlock main =
        new SequentialBlock()
            .add(conv(filters, 3, stride))
            .add(BatchNorm.builder().build())
            .add(Activation.reluBlock())
            .add(conv(filters, 3, 1))
            .add(lastNorm);
    Block shortcut =
        projectShortcut
            ? new SequentialBlock().add(conv(filters, 1, stride)).add(BatchNorm.builder().build())
            : Blocks.identityBlock();
    return new SequentialBlock()
        .add(
            new ParallelBlock(
                outputs -> new NDList(outputs.get(0).head().add(outputs.get(1).head())),
                Arrays.asList(main, shortcut)))
        .add(Activation.reluBlock());
  }

  /** Settings of a {@link ResNetEncoder}; convolution weights start He-normal. */
  public static final class Builder {
    private int[] depths = {2, 2, 2, 2};
    private int width = 64;
    private int stemStride = 1;

    private Builder() {}

    /**
     * Sets the number of basic blocks in each stage; stage {@code i} has {@code width << i}
     * channels and every stage after the first halves the resolution.
     *
     * @param depths blocks per stage, e.g. {@code 2, 2, 2, 2} for ResNet-18
     * @return this builder
     */
    public Builder setDepths(int... depths) {
      if (depths.length == 0 || Arrays.stream(depths).anyMatch(d -> d < 1)) {
        throw new IllegalArgumentException("depths must be positive: " + Arrays.toString(depths));
      }
      this.depths = depths.clone();
      return this;
    }

    /**
     * Sets the base width (channels of the stem and the first stage).
     *
     * @param width channels, at least 1
     * @return this builder
     */
    public Builder optWidth(int width) {
      if (width < 1) {
        throw new IllegalArgumentException("width must be positive: " + width);
      }
      this.width = width;
      return this;
    }

    /**
     * Sets the stride of the 3×3 stem; 1 suits 32 px inputs, 2 suits 64–96 px.
     *
     * @param stemStride 1 or 2
     * @return this builder
     */
    public Builder optStemStride(int stemStride) {
      if (stemStride < 1 || stemStride > 2) {
        throw new IllegalArgumentException("stem stride must be 1 or 2: " + stemStride);
      }
      this.stemStride = stemStride;
      return this;
    }

    /**
     * Builds the encoder; it maps (B, 3, H, W) images to (B, {@code featureSize}) features.
     *
     * @return the encoder block
     */
    public Block build() {
      SequentialBlock net =
          new SequentialBlock()
              .add(conv(width, 3, stemStride))
              .add(BatchNorm.builder().build())
              .add(Activation.reluBlock());
      int channels = width;
      for (int stage = 0; stage < depths.length; stage++) {
        int filters = width << stage;
        for (int block = 0; block < depths[stage]; block++) {
          int stride = stage > 0 && block == 0 ? 2 : 1;
          net.add(basicBlock(filters, stride, stride != 1 || channels != filters));
          channels = filters;
        }
      }
      net.add(Pool.globalAvgPool2dBlock());
      net.setInitializer(
          new XavierInitializer(
              XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
          Parameter.Type.WEIGHT);
      return net;
    }
  }
}
