package dev.cliplab.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Encoded captions packed row-major into one (rows, width) block, cut after the last column that
 * holds a word in any row: padding columns change no embedding but cost as much compute as words,
 * and short captions are the rule.
 *
 * @param ids the token ids, row-major
 * @param rows the number of captions
 * @param width the number of columns kept
 */
public record TokenBatch(int[] ids, int rows, int width) {

  /**
   * Packs captions that were each encoded to the same length.
   *
   * @param encoded one id array per caption, padded with {@link TextEncoder#PAD_ID}
   * @return the packed block, at least one column wide
   */
  public static TokenBatch pack(int[][] encoded) {
    int width = 1;
    for (int[] row : encoded) {
      int length = row.length;
      while (length > width && row[length - 1] == TextEncoder.PAD_ID) {
        length--;
      }
      width = Math.max(width, length);
    }
    int[] ids = new int[encoded.length * width];
    for (int r = 0; r < encoded.length; r++) {
      System.arraycopy(encoded[r], 0, ids, r * width, width);
    }
    return new TokenBatch(ids, encoded.length, width);
  }

  /**
   * The block as an array of the text tower's input shape.
   *
   * @param manager the manager the array belongs to
   * @return a (rows, width) int array
   */
  public NDArray toArray(NDManager manager) {
    return manager.create(ids, new Shape(rows, width));
  }
}
