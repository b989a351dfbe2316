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
 * The CLIP-Lite network: a ResNet image encoder and a transformer text encoder, each followed by a
 * projection head and an L2 normalisation; the critic T(x, y) = exp(t) · cos(z_img, z_txt) with a
 * learnable t; and, when enabled, Deep InfoMax's prior discriminator on the pooled image features.
 *
 * <p>Training forward: inputs (images (B, 3, S, S), tokens (B, L)); outputs, by index, {@link
 * #IMAGE_EMBEDDINGS} (B, E) and {@link #TEXT_EMBEDDINGS} (B, E), unit vectors; {@link #SCALE}, the
 * critic scale exp(t) of shape (1); with the prior, {@link #PRIOR_FEATURE_LOGITS} and {@link
 * #PRIOR_NOISE_LOGITS}, (B, 1) each, for {@link PriorMatchingLoss}. The towers and the image
 * encoder also run on their own, which is how the evaluations embed images and captions.
 *
 * <p>The scale is capped at {@value #MAX_SCALE}, as CLIP caps it, and kept at or above 1: with one
 * negative per positive the Jensen–Shannon bound can keep lowering its loss by sharpening the
 * critic once the pairs are separated, so without a cap t would run away. Call {@link
 * #clampLogScale()} after every optimiser step, as OpenCLIP does, so that t stays where the cap in
 * the forward pass does not cut its gradient off.
 */
public final class ClipLiteModel extends AbstractBlock {

  /** The temperature the critic starts at, as in CLIP. */
  public static final double INITIAL_TEMPERATURE = 0.07;

  /** The largest critic scale; CLIP's cap, which keeps the logits from running away. */
  public static final double MAX_SCALE = 100.0;

  /** Index of the unit image embeddings in the forward output. */
  public static final int IMAGE_EMBEDDINGS = 0;

  /** Index of the unit text embeddings in the forward output. */
  public static final int TEXT_EMBEDDINGS = 1;

  /** Index of the critic scale exp(t) in the forward output. */
  public static final int SCALE = 2;

  /** Index of the prior discriminator's logits on the image features, when the prior is on. */
  public static final int PRIOR_FEATURE_LOGITS = 3;

  /** Index of the prior discriminator's logits on uniform noise, when the prior is on. */
  public static final int PRIOR_NOISE_LOGITS = 4;

  private static final float MAX_LOG_SCALE = (float) Math.log(MAX_SCALE);

  private final ResNetEncoder imageEncoder;
  private final ProjectionHead imageHead;
  private final TextEncoder textEncoder;
  private final ProjectionHead textHead;
  private final PriorDiscriminator prior;
  private final Parameter logScale;
  private final SequentialBlock imageTower;
  private final SequentialBlock textTower;

  ClipLiteModel(
      ResNetEncoder imageEncoder, TextEncoder textEncoder, int embedDim, boolean withPrior) {
    this.imageEncoder = addChildBlock("image_encoder", imageEncoder);
    imageHead =
        addChildBlock("image_head", ProjectionHead.builder().setOutputSize(embedDim).build());
    this.textEncoder = addChildBlock("text_encoder", textEncoder);
    textHead = addChildBlock("text_head", ProjectionHead.builder().setOutputSize(embedDim).build());
    prior = withPrior ? addChildBlock("prior", new PriorDiscriminator()) : null;
    logScale =
        addParameter(
            Parameter.builder()
                .setName("log_scale")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer((float) Math.log(1 / INITIAL_TEMPERATURE)))
                .build());
    // Views over the same blocks, not children: the parameters belong to this block once.
    imageTower = new SequentialBlock().add(imageEncoder).add(imageHead).add(ClipLiteModel::unit);
    textTower = new SequentialBlock().add(textEncoder).add(textHead).add(ClipLiteModel::unit);
  }

  /**
   * Starts a builder.
   *
   * @return a builder; the vocabulary size and maximum token count must be set
   */
  public static ClipLiteModelBuilder builder() {
    return new ClipLiteModelBuilder();
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
   * @return the image tower; its first child is {@link #imageEncoder()}
   */
  public Block imageTower() {
    return imageTower;
  }

  /**
   * The image encoder alone, images (B, 3, S, S) to pooled backbone features (B, F) before the
   * projection head: the features the VOC and linear evaluations read, and the parameters that
   * train at the image learning rate.
   *
   * @return the ResNet
   */
  public ResNetEncoder imageEncoder() {
    return imageEncoder;
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
   * The text encoder alone, token ids (B, L) to pooled features (B, H) before the projection head.
   *
   * @return the transformer
   */
  public TextEncoder textEncoder() {
    return textEncoder;
  }

  /**
   * Whether the forward output carries the prior discriminator's logits.
   *
   * @return whether the prior is on
   */
  public boolean hasPrior() {
    return prior != null;
  }

  /**
   * The current critic temperature 1/exp(t), read from the initialised parameter, with the scale
   * limits of the forward pass applied.
   *
   * @return the temperature
   */
  public double temperature() {
    return 1.0 / Math.exp(clamp(logScale.getArray().getFloat()));
  }

  /**
   * Moves t back into [0, log {@value #MAX_SCALE}] when an update took it out. Call it after every
   * optimiser step; it reads one number from the device.
   */
  public void clampLogScale() {
    NDArray t = logScale.getArray();
    float value = t.getFloat();
    float clamped = clamp(value);
    if (clamped != value) {
      t.set(new float[] {clamped});
    }
  }

  /**
   * The forward cost of one image–caption pair: 2 × the multiply-adds of the image encoder's
   * convolutions, the text encoder's projections and attention, the projection heads and the prior
   * discriminator. The critic is left out: it is one dot product per pair and negative, which
   * depends on the batch and the bound. A training step costs about 3 × this per pair (the backward
   * pass about twice the forward).
   *
   * @param imageSize the side of the input images, px
   * @param tokens the caption length fed to the text encoder, padding included
   * @return floating-point operations per pair
   */
  public long forwardFlops(int imageSize, int tokens) {
    long features = imageEncoder.featureSize();
    long flops = imageEncoder.forwardFlops(imageSize) + imageHead.forwardFlops(features);
    flops += textEncoder.forwardFlops(tokens) + textHead.forwardFlops(textEncoder.hiddenSize());
    return prior == null ? flops : flops + PriorDiscriminator.forwardFlops(features);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray features = imageEncoder.forward(ps, new NDList(inputs.get(0)), training).head();
    NDList images = unit(imageHead.forward(ps, new NDList(features), training));
    NDList texts = textTower.forward(ps, new NDList(inputs.get(1)), training);
    NDArray t = ps.getValue(logScale, features.getDevice(), training);
    // Adding t to a zero made from the features keeps the scale in the caller's (per-step)
    // manager; t.exp() would attach a new array to the model's manager at every step.
    NDArray scale = features.getManager().zeros(t.getShape()).add(t);
    scale = scale.clip(0, MAX_LOG_SCALE).exp();
    NDList out = new NDList(images.head(), texts.head(), scale);
    if (prior != null) {
      out.addAll(prior.forward(ps, new NDList(features), training));
    }
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    long embed = imageHead.outputSize();
    Shape embeddings = new Shape(batch, embed);
    if (prior == null) {
      return new Shape[] {embeddings, new Shape(batch, embed), new Shape(1)};
    }
    Shape logits = new Shape(batch, 1);
    return new Shape[] {embeddings, new Shape(batch, embed), new Shape(1), logits, logits};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape features = new Shape(inputShapes[0].get(0), imageEncoder.featureSize());
    imageEncoder.initialize(manager, dataType, inputShapes[0]);
    imageHead.initialize(manager, dataType, features);
    textEncoder.initialize(manager, dataType, inputShapes[1]);
    textHead.initialize(
        manager, dataType, new Shape(inputShapes[1].get(0), textEncoder.hiddenSize()));
    if (prior != null) {
      prior.initialize(manager, dataType, features);
    }
  }

  private static float clamp(float logScale) {
    return Math.max(0f, Math.min(logScale, MAX_LOG_SCALE));
  }

  private static NDList unit(NDList embeddings) {
    return new NDList(embeddings.head().normalize(2, 1, 1e-6));
  }
}
