package dev.cliplab.worker.data;

import java.util.SplittableRandom;

/**
 * Turns one cached source image into one network input: a random resized crop, colour jitter with
 * probability 0.8 and an optional mirror, written as channel planes of floats in [-1, 1] (the pixel
 * cache's {@code v / 127.5 - 1}).
 *
 * <p>An augmenter is immutable and may serve several threads; each call draws from the random
 * stream it is given, in a fixed order (crop box, whether to jitter, the jitter's draw), so the
 * same stream yields the same pixels.
 */
public final class Augmenter {

  /** The probability that an image is colour-jittered, as in the CLIP-Lite recipe. */
  public static final double JITTER_PROBABILITY = 0.8;

  private final int side;
  private final boolean augment;
  private final double cropScaleMin;
  private final ColorJitter jitter;

  private Augmenter(int side, boolean augment, double cropScaleMin, ColorJitter jitter) {
    if (side < 1) {
      throw new IllegalArgumentException("output side must be positive, was " + side);
    }
    this.side = side;
    this.augment = augment;
    this.cropScaleMin = cropScaleMin;
    this.jitter = jitter;
  }

  /**
   * An augmenter of random resized crops and colour jitter.
   *
   * @param side the output side, in pixels
   * @param cropScaleMin the smallest crop area, as a fraction of the source's, in (0, 1]
   * @param colorJitter the brightness, contrast and saturation strength; hue gets a quarter of it
   * @return the augmenter
   */
  public static Augmenter random(int side, double cropScaleMin, double colorJitter) {
    if (!(cropScaleMin > 0 && cropScaleMin <= 1)) {
      throw new IllegalArgumentException("crop_scale_min must be in (0, 1], was " + cropScaleMin);
    }
    return new Augmenter(side, true, cropScaleMin, ColorJitter.of(colorJitter));
  }

  /**
   * An augmenter that only resizes the whole source to the output side (nothing when they are
   * equal), and mirrors when asked; it draws nothing.
   *
   * @param side the output side, in pixels
   * @return the augmenter
   */
  public static Augmenter plain(int side) {
    return new Augmenter(side, false, 1, null);
  }

  /** Returns the output side, in pixels. */
  public int side() {
    return side;
  }

  /** Returns whether this augmenter crops and jitters at random. */
  public boolean isRandom() {
    return augment;
  }

  /**
   * Writes one augmented image.
   *
   * @param hwc the source, square {@code uint8} RGB, height-width-channel
   * @param sourceSide the source's side
   * @param mirror whether to flip the image left to right
   * @param random the sample's random stream
   * @param out the destination; three planes of {@code side^2} floats from {@code offset}
   * @param offset where the first plane starts
   */
  public void apply(
      byte[] hwc,
      int sourceSide,
      boolean mirror,
      SplittableRandom random,
      float[] out,
      int offset) {
    if (!augment && sourceSide == side) {
      copy(hwc, mirror, out, offset);
      return;
    }
    CropBox box =
        augment
            ? RandomResizedCrop.sample(sourceSide, sourceSide, cropScaleMin, random)
            : CropBox.whole(sourceSide);
    RandomResizedCrop.resize(hwc, sourceSide, box, mirror, side, out, offset);
    int plane = side * side;
    if (augment && random.nextDouble() < JITTER_PROBABILITY) {
      jitter.apply(jitter.sample(random), out, offset, plane);
    }
    for (int i = offset; i < offset + 3 * plane; i++) {
      out[i] = out[i] * 2 - 1;
    }
  }

  /** The pixel cache's own conversion, so that an unaugmented batch is what the cache gives. */
  private void copy(byte[] hwc, boolean mirror, float[] out, int offset) {
    int plane = side * side;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int from = (y * side + x) * 3;
        int to = offset + y * side + (mirror ? side - 1 - x : x);
        out[to] = (hwc[from] & 0xff) / 127.5f - 1f;
        out[to + plane] = (hwc[from + 1] & 0xff) / 127.5f - 1f;
        out[to + 2 * plane] = (hwc[from + 2] & 0xff) / 127.5f - 1f;
      }
    }
  }
}
