package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.PriorMatchingLoss;
import dev.cliplab.worker.model.TokenBatch;
import dev.cliplab.worker.objective.MiObjective;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One optimiser step: forward, critic, loss, backward, gradient clipping and the update. */
final class StepRunner {

  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

  private final Trainer trainer;
  private final ClipLiteModel network;
  private final MiObjective objective;
  private final TrainingOptimizer optimizer;
  private final double maxGradientNorm;
  private final PriorMatchingLoss priorLoss = new PriorMatchingLoss();
  private double priorWeight;
  private ByteBuffer pixelBuffer;
  private double lastBoundLoss = Double.NaN;
  private double lastPrior = Double.NaN;

  /**
   * Creates a runner.
   *
   * @param trainer the trainer, configured with {@code optimizer}
   * @param network the trainer's network
   * @param objective the loss
   * @param optimizer the trainer's optimiser
   * @param maxGradientNorm the cap on the global gradient norm, 0 for no clipping
   */
  StepRunner(
      Trainer trainer,
      ClipLiteModel network,
      MiObjective objective,
      TrainingOptimizer optimizer,
      double maxGradientNorm) {
    this.trainer = trainer;
    this.network = network;
    this.objective = objective;
    this.optimizer = optimizer;
    this.maxGradientNorm = maxGradientNorm;
  }

  /**
   * Adds the Deep InfoMax prior term, weighted, to every step's loss; the network must have been
   * built with its prior discriminator.
   *
   * @param weight the term's weight, 0 for none
   * @return this runner
   */
  StepRunner withPrior(double weight) {
    if (weight > 0 && !network.hasPrior()) {
      throw new IllegalArgumentException("prior_weight > 0 needs a network built with its prior");
    }
    this.priorWeight = weight;
    return this;
  }

  /** Returns the bound's own loss in the last step, without the prior term. */
  double lastBoundLoss() {
    return lastBoundLoss;
  }

  /** Returns the prior term of the last step (unweighted), NaN when there is none. */
  double lastPrior() {
    return lastPrior;
  }

  /**
   * Trains on one batch. Every array of the step lives in one sub-manager that is closed at the
   * end, so native memory stays flat over a run.
   *
   * @param pixels CHW images in [-1, 1], batch-major
   * @param imageShape (B, 3, S, S)
   * @param tokens the captions, one per image
   * @return the loss before the update; when it is not finite no update is made
   */
  double step(float[] pixels, Shape imageShape, TokenBatch tokens) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray images = scope.create(direct(pixels), imageShape, DataType.FLOAT32);
      NDArray ids = tokens.toArray(scope);
      NDArray loss;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(images, ids));
        NDArray bound = objective.loss(ClipLiteModel.critic(out.get(0), out.get(1), out.get(2)));
        loss = bound;
        lastBoundLoss = bound.getFloat();
        if (priorWeight > 0) {
          NDArray prior =
              priorLoss.loss(
                  out.get(ClipLiteModel.PRIOR_FEATURE_LOGITS),
                  out.get(ClipLiteModel.PRIOR_NOISE_LOGITS));
          lastPrior = prior.getFloat();
          loss = bound.add(prior.mul((float) priorWeight));
        }
        collector.backward(loss);
      }
      double value = loss.getFloat();
      if (Double.isFinite(value)) {
        float scale = 1f;
        if (maxGradientNorm > 0) {
          double norm = GradientClipping.globalNorm(network, scope);
          LOG.debug("Loss {}, gradient norm {}", value, norm);
          scale = GradientClipping.scale(norm, maxGradientNorm);
        }
        optimizer.setGradientScale(scale);
        trainer.step();
        network.clampLogScale();
      }
      return value;
    }
  }

  /**
   * Copies the pixels into one direct buffer kept for the run: creating the array from a Java array
   * would allocate a fresh direct buffer every step, which only a garbage collection frees, so
   * native memory would climb by up to the heap's size between collections.
   */
  private ByteBuffer direct(float[] pixels) {
    if (pixelBuffer == null || pixelBuffer.capacity() != pixels.length * Float.BYTES) {
      pixelBuffer =
          ByteBuffer.allocateDirect(pixels.length * Float.BYTES).order(ByteOrder.nativeOrder());
    }
    pixelBuffer.clear();
    pixelBuffer.asFloatBuffer().put(pixels);
    return pixelBuffer;
  }
}
