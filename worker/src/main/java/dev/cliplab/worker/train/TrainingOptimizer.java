package dev.cliplab.worker.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * An optimiser the training loop drives: it takes the factor that clips the gradients of the next
 * update, and saves and restores its state by parameter name so a run can resume exactly.
 */
abstract class TrainingOptimizer extends Optimizer {

  TrainingOptimizer() {
    // Weight decay, gradient rescaling and clipping are the subclasses' own business; the base
    // class's settings stay at "none".
    super(new NoSettings());
  }

  /**
   * Sets the factor all gradients are multiplied by in the next updates.
   *
   * @param scale 1 for none, below 1 to clip
   */
  abstract void setGradientScale(float scale);

  /**
   * Writes the state: step counts and per-parameter arrays, keyed by parameter name.
   *
   * @param out the stream
   * @throws IOException if the stream fails
   */
  abstract void save(DataOutputStream out) throws IOException;

  /**
   * Replaces the state with what {@link #save} wrote from an optimiser of the same kind, built for
   * a network of the same architecture.
   *
   * @param in the stream
   * @param manager the manager the restored arrays live in; it must outlive training
   * @throws IOException if the stream fails or its state does not fit this optimiser
   */
  abstract void load(DataInputStream in, NDManager manager) throws IOException;

  private static final class NoSettings extends OptimizerBuilder<NoSettings> {
    @Override
    protected NoSettings self() {
      return this;
    }
  }
}
