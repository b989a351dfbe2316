package dev.cliplab.worker.data;

import java.util.SplittableRandom;

/**
 * Draws crop boxes the way torchvision's {@code RandomResizedCrop} does and resizes a crop to the
 * network's input side with an antialiased bilinear (triangle) filter, as PIL and torchvision do.
 */
public final class RandomResizedCrop {

  /** The smallest aspect ratio (width / height) drawn. */
  public static final double MIN_RATIO = 3.0 / 4;

  /** The largest aspect ratio (width / height) drawn. */
  public static final double MAX_RATIO = 4.0 / 3;

  // torchvision gives up after this many boxes that do not fit and takes a centre crop instead.
  private static final int TRIES = 10;

  private RandomResizedCrop() {}

  /**
   * Draws a crop box: an area uniform in {@code [scaleMin, 1]} of the image's and an aspect ratio
   * log-uniform in {@code [3/4, 4/3]}, placed uniformly; after ten boxes that do not fit, the
   * largest centred box whose ratio lies in that range.
   *
   * @param height the image's height
   * @param width the image's width
   * @param scaleMin the smallest area fraction, in (0, 1]
   * @param random the sample's random stream; four draws per try
   * @return the box, inside the image
   */
  public static CropBox sample(int height, int width, double scaleMin, SplittableRandom random) {
    if (!(scaleMin > 0 && scaleMin <= 1)) {
      throw new IllegalArgumentException("crop scale minimum must be in (0, 1], was " + scaleMin);
    }
    double area = (double) height * width;
    double logMin = Math.log(MIN_RATIO);
    double logMax = Math.log(MAX_RATIO);
    for (int i = 0; i < TRIES; i++) {
      double target = area * uniform(random, scaleMin, 1);
      double ratio = Math.exp(uniform(random, logMin, logMax));
      // Math.rint rounds halves to even, like Python's round() in torchvision
      int w = (int) Math.rint(Math.sqrt(target * ratio));
      int h = (int) Math.rint(Math.sqrt(target / ratio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = random.nextInt(height - h + 1);
        int left = random.nextInt(width - w + 1);
        return new CropBox(top, left, h, w);
      }
    }
    return centre(height, width);
  }

  /** The fallback after failed tries: the largest centred box within the ratio range. */
  static CropBox centre(int height, int width) {
    double ratio = (double) width / height;
    int w = width;
    int h = height;
    if (ratio < MIN_RATIO) {
      h = (int) Math.rint(w / MIN_RATIO);
    } else if (ratio > MAX_RATIO) {
      w = (int) Math.rint(h * MAX_RATIO);
    }
    return new CropBox((height - h) / 2, (width - w) / 2, h, w);
  }

  /**
   * Resizes a crop of a square {@code uint8} RGB image to {@code side x side}, writing channel
   * planes of floats in [0, 1]. Each output pixel is a triangle-filter average of the crop's pixels
   * around its centre; when shrinking, the filter widens by the shrink factor so that it does not
   * alias (PIL's and torchvision's antialiased bilinear resize).
   *
   * @param hwc the source pixels, height-width-channel, {@code 3 * sourceSide^2} bytes
   * @param sourceSide the source's side
   * @param box the crop, inside the source
   * @param mirror whether to flip the result left to right
   * @param side the output side
   * @param chw the destination; three planes of {@code side^2} floats from {@code offset}
   * @param offset where the first plane starts
   */
  public static void resize(
      byte[] hwc, int sourceSide, CropBox box, boolean mirror, int side, float[] chw, int offset) {
    if (box.top() + box.height() > sourceSide || box.left() + box.width() > sourceSide) {
      throw new IllegalArgumentException(box + " is outside a " + sourceSide + " px image");
    }
    Filter cols = new Filter(box.width(), side);
    Filter rows = new Filter(box.height(), side);
    float[] horizontal = new float[box.height() * side * 3];
    for (int y = 0; y < box.height(); y++) {
      int rowStart = ((box.top() + y) * sourceSide + box.left()) * 3;
      for (int x = 0; x < side; x++) {
        cols.apply(hwc, rowStart, x, horizontal, (y * side + x) * 3);
      }
    }
    int plane = side * side;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int at = offset + y * side + (mirror ? side - 1 - x : x);
        rows.column(horizontal, x * 3, side * 3, y, chw, at, plane);
      }
    }
  }

  private static double uniform(SplittableRandom random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** Normalised triangle-filter weights of the source cells around each output cell's centre. */
  private static final class Filter {
    private final int[] first;
    private final float[][] weights;

    Filter(int source, int output) {
      first = new int[output];
      weights = new float[output][];
      double scale = (double) source / output;
      double width = Math.max(scale, 1);
      for (int d = 0; d < output; d++) {
        double centre = (d + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(centre - width + 0.5));
        int hi = Math.min(source, (int) Math.floor(centre + width + 0.5));
        float[] w = new float[hi - lo];
        double total = 0;
        for (int s = lo; s < hi; s++) {
          double t = Math.max(0, 1 - Math.abs((s + 0.5 - centre) / width));
          w[s - lo] = (float) t;
          total += t;
        }
        for (int k = 0; k < w.length; k++) {
          w[k] /= (float) total;
        }
        first[d] = lo;
        weights[d] = w;
      }
    }

    /** Filters one row of bytes (RGB interleaved) into one output cell of three floats. */
    void apply(byte[] hwc, int rowStart, int d, float[] out, int outAt) {
      float r = 0;
      float g = 0;
      float b = 0;
      float[] w = weights[d];
      int at = rowStart + first[d] * 3;
      for (int k = 0; k < w.length; k++, at += 3) {
        r += w[k] * (hwc[at] & 0xff);
        g += w[k] * (hwc[at + 1] & 0xff);
        b += w[k] * (hwc[at + 2] & 0xff);
      }
      out[outAt] = r;
      out[outAt + 1] = g;
      out[outAt + 2] = b;
    }

    /** Filters down a column of the horizontal pass into one pixel of each output plane. */
    void column(float[] src, int colAt, int rowStride, int d, float[] chw, int at, int plane) {
      float r = 0;
      float g = 0;
      float b = 0;
      float[] w = weights[d];
      int from = first[d] * rowStride + colAt;
      for (int k = 0; k < w.length; k++, from += rowStride) {
        r += w[k] * src[from];
        g += w[k] * src[from + 1];
        b += w[k] * src[from + 2];
      }
      chw[at] = clamp(r / 255f);
      chw[at + plane] = clamp(g / 255f);
      chw[at + 2 * plane] = clamp(b / 255f);
    }
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
