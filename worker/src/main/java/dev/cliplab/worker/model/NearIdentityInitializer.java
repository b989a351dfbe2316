package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises an (out, in) weight matrix so that a linear shortcut starts as a noisy copy of its
 * input, as Deep InfoMax and CLIP-Lite do: ones on the diagonal, uniform noise in [−noise, noise]
 * everywhere else; extra outputs (out &gt; in) start from noise alone.
 *
 * <p>A matrix with fewer outputs than inputs cannot copy its input, and a truncated identity would
 * make the first outputs see only the first inputs; such a matrix gets PyTorch's default linear
 * initialisation instead, uniform in ±1/√in, which is what those codebases fall back to.
 */
public final class NearIdentityInitializer implements Initializer {

  private final float noise;

  /**
   * Creates the initializer.
   *
   * @param noise the half-width of the uniform noise around the identity
   */
  public NearIdentityInitializer(float noise) {
    this.noise = noise;
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    if (shape.dimension() != 2) {
      throw new IllegalArgumentException("expected an (out, in) matrix, got " + shape);
    }
    int rows = Math.toIntExact(shape.get(0));
    int columns = Math.toIntExact(shape.get(1));
    if (rows < columns) {
      float bound = (float) (1 / Math.sqrt(columns));
      return manager.randomUniform(-bound, bound, shape, dataType);
    }
    NDArray identity = manager.eye(rows, columns, 0, dataType);
    NDArray offDiagonal = identity.neg().add(1);
    return manager.randomUniform(-noise, noise, shape, dataType).mul(offDiagonal).add(identity);
  }
}
