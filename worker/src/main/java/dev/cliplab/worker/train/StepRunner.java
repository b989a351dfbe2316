package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import dev.cliplab.worker.objective.MiObjective;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One optimiser step: forward, critic, loss, backward, gradient clipping and the update. */
final class StepRunner {

  /** The global gradient norm is clipped to this, as in the CLIP-Lite recipe. */
  static final double MAX_GRADIENT_NORM = 10;

  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

  private final Trainer trainer;
  private final ClipLiteModel network;
  private final MiObjective objective;
  private final DecoupledAdamW optimizer;

  StepRunner(
      Trainer trainer, ClipLiteModel network, MiObjective objective, DecoupledAdamW optimizer) {
    this.trainer = trainer;
    this.network = network;
    this.objective = objective;
    this.optimizer = optimizer;
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
      NDArray images = scope.create(pixels, imageShape);
      NDArray ids = tokens.toArray(scope);
      NDArray loss;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(images, ids));
        loss = objective.loss(ClipLiteModel.critic(out.get(0), out.get(1), out.get(2)));
        collector.backward(loss);
      }
      double value = loss.getFloat();
      if (Double.isFinite(value)) {
        double norm = GradientClipping.globalNorm(network, scope);
        LOG.debug("Loss {}, gradient norm {}", value, norm);
        optimizer.setGradientScale(GradientClipping.scale(norm, MAX_GRADIENT_NORM));
        trainer.step();
      }
      return value;
    }
  }
}
