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
import ai.djl.training.initializer.Initializer;
import java.util.List;

/**
 * One residual block of a ResNet stage: its shape, the DJL block that computes it and its cost.
 *
 * <p>A basic block is two 3×3 convolutions; a bottleneck block is 1×1 (reduce), 3×3, 1×1 (expand by
 * {@link #EXPANSION}), with the stride on the 3×3 as in torchvision's ResNet ("v1.5"). The shortcut
 * is the identity, or a strided 1×1 convolution and batch norm when the resolution or the channel
 * count changes.
 *
 * @param in input channels
 * @param filters channels of the 3×3 convolution(s)
 * @param stride 2 in the first block of a downsampling stage, else 1
 * @param bottleneck whether this is a bottleneck block
 */
record ResidualUnit(int in, int filters, int stride, boolean bottleneck) {

  /** Output channels of a bottleneck block per channel of its 3×3 convolution. */
  static final int EXPANSION = 4;

  /** Returns the output channels. */
  int out() {
    return bottleneck ? EXPANSION * filters : filters;
  }

  /** Returns whether the shortcut needs a projection rather than the identity. */
  boolean projects() {
    return stride != 1 || in != out();
  }

  /**
   * The side of a convolution's output: every convolution and pool here pads by half its kernel, so
   * (side + 2 ⌊k/2⌋ − k) / s + 1 reduces to (side − 1) / s + 1.
   */
  static int outSide(int side, int stride) {
    return (side - 1) / stride + 1;
  }

  /** A bias-free convolution padded to keep the resolution (at stride 1). */
  static Block conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .setFilters(filters)
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .optBias(false)
        .build();
  }

  /**
   * Builds the block.
   *
   * @param zeroInitResidual whether the last batch norm of the residual path starts with a zero
   *     scale, so that the block starts as its shortcut
   * @return the block, (B, in, S, S) to (B, out, S / stride, S / stride)
   */
  Block build(boolean zeroInitResidual) {
    BatchNorm last = BatchNorm.builder().build();
    if (zeroInitResidual) {
      last.setInitializer(Initializer.ZEROS, Parameter.Type.GAMMA);
    }
    SequentialBlock residual = new SequentialBlock();
    if (bottleneck) {
      residual
          .add(conv(filters, 1, 1))
          .add(BatchNorm.builder().build())
          .add(Activation.reluBlock())
          .add(conv(filters, 3, stride))
          .add(BatchNorm.builder().build())
          .add(Activation.reluBlock())
          .add(conv(out(), 1, 1));
    } else {
      residual
          .add(conv(filters, 3, stride))
          .add(BatchNorm.builder().build())
          .add(Activation.reluBlock())
          .add(conv(filters, 3, 1));
    }
    residual.add(last);
    Block shortcut =
        projects()
            ? new SequentialBlock().add(conv(out(), 1, stride)).add(BatchNorm.builder().build())
            : Blocks.identityBlock();
    return new SequentialBlock()
        .add(
            new ParallelBlock(
                outputs -> new NDList(outputs.get(0).head().add(outputs.get(1).head())),
                List.of(residual, shortcut)))
        .add(Activation.reluBlock());
  }

  /**
   * The multiply-adds of the block's convolutions for one image.
   *
   * @param side the input resolution
   * @return the multiply-add count
   */
  long multiplyAdds(int side) {
    long inPixels = (long) side * side;
    int o = outSide(side, stride);
    long outPixels = (long) o * o;
    long macs;
    if (bottleneck) {
      macs =
          (long) in * filters * inPixels
              + 9L * filters * filters * outPixels
              + (long) filters * out() * outPixels;
    } else {
      macs = 9L * in * filters * outPixels + 9L * filters * filters * outPixels;
    }
    return projects() ? macs + (long) in * out() * outPixels : macs;
  }
}
