package dev.cliplab.worker.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A ResNet image encoder of basic or bottleneck blocks that ends in a global average pool, so it
 * takes any input size; its output is the pooled backbone feature vector.
 *
 * <p>Stage {@code i} has {@code width << i} channels in its 3×3 convolutions (times 4 at the output
 * of a bottleneck stage), so {@code width} 64 is the standard ResNet and other widths scale every
 * layer by width/64. Every stage after the first halves the resolution. With the {@link
 * Stem#IMAGENET} stem and width 64 the networks are torchvision's ResNets without the classifier.
 *
 * <p>Input (B, 3, H, W); output (B, {@link #featureSize()}).
 */
public final class ResNetEncoder extends SequentialBlock {

  /** The names {@link Builder#optArchitecture} accepts. */
  public static final List<String> ARCHITECTURES =
      List.of("resnet10", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152");

  /** The first layers, which set how much the input resolution is reduced before stage 1. */
  public enum Stem {
    /** A 3×3 convolution at stride 1: no reduction, for inputs of about 32 px and below. */
    SMALL(3, 1, false),
    /** A 3×3 convolution at stride 2: halves the resolution, for 32–128 px inputs. */
    STRIDED(3, 2, false),
    /** ImageNet's 7×7 stride-2 convolution and 3×3 stride-2 max pool: a quarter, for 128 px up. */
    IMAGENET(7, 2, true);

    private final int kernel;
    private final int stride;
    private final boolean maxPool;

    Stem(int kernel, int stride, boolean maxPool) {
      this.kernel = kernel;
      this.stride = stride;
      this.maxPool = maxPool;
    }
  }

  private final int width;
  private final Stem stem;
  private final List<ResidualUnit> units;

  private ResNetEncoder(Builder builder) {
    width = builder.width;
    stem = builder.stem;
    units = plan(builder);
    add(ResidualUnit.conv(width, stem.kernel, stem.stride));
    add(BatchNorm.builder().build());
    add(Activation.reluBlock());
    if (stem.maxPool) {
      add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    }
    for (ResidualUnit unit : units) {
      add(unit.build(builder.zeroInitResidual));
    }
    add(Pool.globalAvgPool2dBlock());
    // He-normal with fan-out, as torchvision initialises its ResNets.
    setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
        Parameter.Type.WEIGHT);
  }

  /**
   * Starts a builder.
   *
   * @return a builder for ResNet-18 at width 64 with the {@link Stem#SMALL} stem
   */
  public static Builder builder() {
    return new Builder();
  }

  private static List<ResidualUnit> plan(Builder builder) {
    List<ResidualUnit> plan = new ArrayList<>();
    int channels = builder.width;
    for (int stage = 0; stage < builder.depths.length; stage++) {
      for (int block = 0; block < builder.depths[stage]; block++) {
        int stride = stage > 0 && block == 0 ? 2 : 1;
        ResidualUnit unit =
            new ResidualUnit(channels, builder.width << stage, stride, builder.bottleneck);
        plan.add(unit);
        channels = unit.out();
      }
    }
    return plan;
  }

  /**
   * The width of the pooled feature vector: the last stage's output channels, e.g. 512 for
   * ResNet-18 and 2048 for ResNet-50 at width 64.
   *
   * @return the feature size
   */
  public int featureSize() {
    return units.get(units.size() - 1).out();
  }

  /**
   * The forward cost for one square image: 2 × the multiply-adds of every convolution. Batch norm,
   * ReLU, the additions and the pools are left out; they are a fraction of a percent.
   *
   * @param imageSize the side of the input, px
   * @return floating-point operations per image
   */
  public long forwardFlops(int imageSize) {
    int side = ResidualUnit.outSide(imageSize, stem.stride);
    long macs = (long) stem.kernel * stem.kernel * 3 * width * side * side;
    if (stem.maxPool) {
      side = ResidualUnit.outSide(side, 2);
    }
    for (ResidualUnit unit : units) {
      macs += unit.multiplyAdds(side);
      side = ResidualUnit.outSide(side, unit.stride());
    }
    return 2 * macs;
  }

  /** Settings of a {@link ResNetEncoder}; convolution weights start He-normal (fan-out). */
  public static final class Builder {
    private int[] depths = {2, 2, 2, 2};
    private boolean bottleneck;
    private int width = 64;
    private Stem stem = Stem.SMALL;
    private boolean zeroInitResidual = true;

    private Builder() {}

    /**
     * Sets the depth and block type of a standard ResNet by name: resnet10 (one basic block per
     * stage), resnet18 and resnet34 (basic blocks), resnet50, resnet101 and resnet152 (bottleneck
     * blocks).
     *
     * @param name one of {@link #ARCHITECTURES}
     * @return this builder
     * @throws IllegalArgumentException naming the value for an unknown name
     */
    public Builder optArchitecture(String name) {
      int[] stages =
          switch (name) {
            case "resnet10" -> new int[] {1, 1, 1, 1};
            case "resnet18" -> new int[] {2, 2, 2, 2};
            case "resnet34", "resnet50" -> new int[] {3, 4, 6, 3};
            case "resnet101" -> new int[] {3, 4, 23, 3};
            case "resnet152" -> new int[] {3, 8, 36, 3};
            default ->
                throw new IllegalArgumentException(
                    "unknown image encoder " + name + ", expected one of " + ARCHITECTURES);
          };
      setDepths(stages);
      bottleneck = !name.equals("resnet10") && !name.equals("resnet18") && !name.equals("resnet34");
      return this;
    }

    /**
     * Sets the number of residual blocks in each stage.
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
     * Chooses bottleneck blocks (ResNet-50 and deeper) instead of basic blocks.
     *
     * @param bottleneck whether the blocks are bottlenecks
     * @return this builder
     */
    public Builder optBottleneck(boolean bottleneck) {
      this.bottleneck = bottleneck;
      return this;
    }

    /**
     * Sets the base width: channels of the stem and of the first stage's 3×3 convolutions.
     *
     * @param width channels, at least 1; 64 is the standard ResNet
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
     * Sets the stem.
     *
     * @param stem the first layers
     * @return this builder
     */
    public Builder optStem(Stem stem) {
      this.stem = stem;
      return this;
    }

    /**
     * Sets whether the last batch norm of every residual path starts with a zero scale, so every
     * block starts as its shortcut (Goyal et al., 2017). On by default: it lets the large learning
     * rates of big-batch training work from the first step. The paper's code leaves it off.
     *
     * @param zeroInitResidual whether to zero the scales
     * @return this builder
     */
    public Builder optZeroInitResidual(boolean zeroInitResidual) {
      this.zeroInitResidual = zeroInitResidual;
      return this;
    }

    /**
     * Builds the encoder.
     *
     * @return the encoder block, not yet initialised
     */
    public ResNetEncoder build() {
      return new ResNetEncoder(this);
    }
  }
}
