package dev.cliplab.worker.eval;

import java.util.Arrays;

/** A dense, row-major matrix of float features: one row per image or text. */
public final class FeatureMatrix {

  private final int rows;
  private final int dim;
  private final float[] data;

  /**
   * Wraps row-major values without copying them.
   *
   * @param rows the number of rows
   * @param dim the number of columns
   * @param data the values, {@code rows * dim} of them, row {@code r} at {@code r * dim}
   */
  public FeatureMatrix(int rows, int dim, float[] data) {
    if (rows < 0 || dim < 0 || data.length != (long) rows * dim) {
      throw new IllegalArgumentException(
          data.length + " values for a " + rows + " x " + dim + " feature matrix");
    }
    this.rows = rows;
    this.dim = dim;
    this.data = data;
  }

  /**
   * Copies rows of equal length into a matrix.
   *
   * @param values the rows
   * @return the matrix; {@code 0 x 0} when there is no row
   */
  public static FeatureMatrix of(float[][] values) {
    int dim = values.length == 0 ? 0 : values[0].length;
    float[] data = new float[values.length * dim];
    for (int r = 0; r < values.length; r++) {
      if (values[r].length != dim) {
        throw new IllegalArgumentException(
            "row " + r + " has " + values[r].length + " values, row 0 has " + dim);
      }
      System.arraycopy(values[r], 0, data, r * dim, dim);
    }
    return new FeatureMatrix(values.length, dim, data);
  }

  /** Returns the number of rows. */
  public int rows() {
    return rows;
  }

  /** Returns the number of columns. */
  public int dim() {
    return dim;
  }

  /** Returns one value. */
  public float get(int row, int column) {
    return data[row * dim + column];
  }

  /** Returns a copy of one row. */
  public float[] row(int row) {
    return Arrays.copyOfRange(data, row * dim, (row + 1) * dim);
  }

  /** Returns the backing values, row-major; callers must not change them. */
  float[] data() {
    return data;
  }

  /**
   * Returns a copy whose rows have unit Euclidean length; an all-zero row stays zero, since it has
   * no direction to keep.
   */
  public FeatureMatrix l2Normalized() {
    float[] out = new float[data.length];
    for (int r = 0; r < rows; r++) {
      double sum = 0;
      for (int c = 0; c < dim; c++) {
        double v = data[r * dim + c];
        sum += v * v;
      }
      double norm = Math.sqrt(sum);
      for (int c = 0; c < dim; c++) {
        out[r * dim + c] = norm > 0 ? (float) (data[r * dim + c] / norm) : 0f;
      }
    }
    return new FeatureMatrix(rows, dim, out);
  }

  /**
   * The dot product of every row of this matrix with every row of another: the cosines when both
   * have unit rows.
   *
   * @param other a matrix with as many columns
   * @return {@code [this row][other row]}
   */
  public float[][] dot(FeatureMatrix other) {
    if (other.dim != dim) {
      throw new IllegalArgumentException(dim + " columns against " + other.dim);
    }
    float[][] out = new float[rows][other.rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < other.rows; j++) {
        double sum = 0;
        for (int c = 0; c < dim; c++) {
          sum += (double) data[i * dim + c] * other.data[j * dim + c];
        }
        out[i][j] = (float) sum;
      }
    }
    return out;
  }

  /**
   * Returns the given rows, in the given order.
   *
   * @param indices row indices
   * @return a new matrix of {@code indices.length} rows
   */
  public FeatureMatrix select(int[] indices) {
    float[] out = new float[indices.length * dim];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(data, indices[i] * dim, out, i * dim, dim);
    }
    return new FeatureMatrix(indices.length, dim, out);
  }

  @Override
  public String toString() {
    return "FeatureMatrix[" + rows + " x " + dim + "]";
  }
}
