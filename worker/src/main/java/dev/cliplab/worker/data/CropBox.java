package dev.cliplab.worker.data;

/**
 * A rectangle of an image, in whole pixels.
 *
 * @param top the first row
 * @param left the first column
 * @param height the number of rows
 * @param width the number of columns
 */
public record CropBox(int top, int left, int height, int width) {

  /** Checks that the box is not empty and does not start before the image. */
  public CropBox {
    if (top < 0 || left < 0 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "invalid crop box: top " + top + ", left " + left + ", " + height + "x" + width);
    }
  }

  /** Returns the box that covers a whole square image of the given side. */
  public static CropBox whole(int side) {
    return new CropBox(0, 0, side, side);
  }
}
