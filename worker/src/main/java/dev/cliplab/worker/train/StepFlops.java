package dev.cliplab.worker.train;

/**
 * Counts the floating-point operations of a training step analytically, from the spec: the
 * convolutions and matrix products, where nearly all the work is, two FLOPs per multiply–add;
 * norms, activations, pooling and the optimiser update are left out. A training step is taken as
 * three forward passes (the backward pass costs about two).
 */
final class StepFlops {

  private StepFlops() {}

  /**
   * The FLOPs of one training step.
   *
   * @param spec the model and input size
   * @param batch pairs in the batch
   * @return 3 × (B × (image forward + text forward) + the B×B critic)
   * @throws UnsupportedOperationException for an image encoder without basic blocks
   */
  static double trainingStep(TrainSpec spec, int batch) {
    double perPair = imageForward(spec) + textForward(spec);
    double critic = 2.0 * batch * batch * spec.embedDim();
    return 3 * (batch * perPair + critic);
  }

  /** The ResNet of basic blocks and its projection head, for one image. */
  static double imageForward(TrainSpec spec) {
    int stemStride = spec.imageSize() >= ModelFactory.STRIDED_STEM_FROM ? 2 : 1;
    int side = outputSide(spec.imageSize(), stemStride);
    int width = spec.imageWidth();
    double flops = conv(3, width, 3, side);
    int channels = width;
    int[] depths = ModelFactory.depths(spec.imageEncoder());
    for (int stage = 0; stage < depths.length; stage++) {
      int filters = width << stage;
      for (int block = 0; block < depths[stage]; block++) {
        int stride = stage > 0 && block == 0 ? 2 : 1;
        side = outputSide(side, stride);
        flops += conv(channels, filters, 3, side) + conv(filters, filters, 3, side);
        if (stride != 1 || channels != filters) {
          flops += conv(channels, filters, 1, side);
        }
        channels = filters;
      }
    }
    return flops + head(channels, spec.embedDim());
  }

  /**
   * The transformer and its projection head, for one caption padded to max_tokens: per layer the
   * four attention projections (8·H² a token), the two feed-forward layers (16·H² a token) and the
   * two attention products (4·T²·H).
   */
  static double textForward(TrainSpec spec) {
    double tokens = spec.maxTokens();
    double hidden = spec.textHidden();
    double perLayer = tokens * 24 * hidden * hidden + 4 * tokens * tokens * hidden;
    return spec.textLayers() * perLayer + head(spec.textHidden(), spec.embedDim());
  }

  /** Linear in → E, Linear E → E and the shortcut in → E. */
  private static double head(int in, int embed) {
    return 2.0 * in * embed + 2.0 * embed * embed + 2.0 * in * embed;
  }

  private static double conv(int in, int out, int kernel, int side) {
    return 2.0 * in * out * kernel * kernel * side * side;
  }

  /** The output side of a 3×3 convolution with padding 1, or a 1×1 without, at this stride. */
  private static int outputSide(int side, int stride) {
    return (side - 1) / stride + 1;
  }
}
