package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/** Computes the factor that brings the global gradient norm of a block down to a maximum. */
final class GradientClipping {

  private GradientClipping() {}

  /**
   * The global L2 norm of all gradients of the block's trainable parameters.
   *
   * @param block the block after a backward pass
   * @param scope the per-step manager that the temporary arrays are attached to
   * @return the norm
   */
  static double globalNorm(Block block, NDManager scope) {
    NDArray total = null;
    for (Parameter parameter : block.getParameters().values()) {
      if (!parameter.requiresGradient()) {
        continue;
      }
      NDArray gradient = parameter.getArray().getGradient();
      // A gradient view is created under the parameter's (long-lived) manager; moving it to the
      // step's manager frees the view, and the arrays derived from it, when the step ends.
      gradient.attach(scope);
      NDArray squares = gradient.square().sum();
      total = total == null ? squares : total.add(squares);
    }
    return total == null ? 0 : Math.sqrt(total.getFloat());
  }

  /**
   * The factor to multiply every gradient by so that the global norm is at most {@code maxNorm}.
   *
   * @param norm the global norm
   * @param maxNorm the largest allowed norm; 0 or less turns clipping off
   * @return 1, or {@code maxNorm / norm} when clipping is on and the norm is larger
   */
  static float scale(double norm, double maxNorm) {
    return maxNorm > 0 && norm > maxNorm ? (float) (maxNorm / norm) : 1f;
  }
}
