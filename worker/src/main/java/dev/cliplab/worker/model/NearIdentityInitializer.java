package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises an (out, in) weight matrix as the rectangular identity plus small Gaussian noise, so
 * that a linear shortcut first passes its input through unchanged (truncated or zero-padded when
 * the sizes differ).
 */
public final class NearIdentityInitializer implements Initializer {

  private final float noise;

  /**
   * Creates the initializer.
   *
   * @param noise the standard deviation of the noise added to the identity
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
    NDArray identity = manager.eye(rows, columns, 0, dataType);
    return identity.add(manager.randomNormal(0f, noise, shape, dataType));
  }
}
