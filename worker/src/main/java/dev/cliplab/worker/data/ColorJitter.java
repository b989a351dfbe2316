package dev.cliplab.worker.data;

import java.util.SplittableRandom;

/**
 * Random brightness, contrast, saturation and hue changes in a random order, with torchvision's
 * {@code ColorJitter} semantics, on images held as three planes of floats in [0, 1].
 *
 * <p>Brightness scales every channel; contrast blends with the image's mean grey level; saturation
 * blends with each pixel's grey level; hue rotates each pixel's hue in HSV space. Each op clamps
 * its result to [0, 1], as torchvision does between ops. Grey is {@code 0.299 R + 0.587 G + 0.114
 * B} (ITU-R 601-2 luma, as PIL).
 */
public final class ColorJitter {

  static final int BRIGHTNESS = 0;
  static final int CONTRAST = 1;
  static final int SATURATION = 2;
  static final int HUE = 3;

  private static final float RED_LUMA = 0.299f;
  private static final float GREEN_LUMA = 0.587f;
  private static final float BLUE_LUMA = 0.114f;

  private final double brightness;
  private final double contrast;
  private final double saturation;
  private final double hue;

  /**
   * Creates a jitter whose factors are drawn uniformly from {@code [max(0, 1 - s), 1 + s]} for
   * brightness, contrast and saturation, and whose hue shift from {@code [-hue, hue]} of a turn.
   *
   * @param brightness the brightness strength s, at least 0
   * @param contrast the contrast strength, at least 0
   * @param saturation the saturation strength, at least 0
   * @param hue the largest hue shift, in [0, 0.5] of a full turn
   */
  public ColorJitter(double brightness, double contrast, double saturation, double hue) {
    if (brightness < 0 || contrast < 0 || saturation < 0 || hue < 0 || hue > 0.5) {
      throw new IllegalArgumentException(
          "invalid colour jitter: brightness "
              + brightness
              + ", contrast "
              + contrast
              + ", saturation "
              + saturation
              + ", hue "
              + hue);
    }
    this.brightness = brightness;
    this.contrast = contrast;
    this.saturation = saturation;
    this.hue = hue;
  }

  /**
   * The CLIP-Lite recipe's jitter: one strength for brightness, contrast and saturation, a quarter
   * of it for hue (0.4 gives 0.4, 0.4, 0.4 and hue 0.1).
   *
   * @param strength the strength, in [0, 2]
   * @return the jitter
   */
  public static ColorJitter of(double strength) {
    return new ColorJitter(strength, strength, strength, strength / 4);
  }

  /**
   * The ops' order and factors of one image.
   *
   * @param order the four ops (brightness 0, contrast 1, saturation 2, hue 3) in the order applied
   * @param brightness the brightness factor
   * @param contrast the contrast factor
   * @param saturation the saturation factor
   * @param hueShift the hue shift, as a fraction of a full turn
   */
  public record Draw(
      int[] order, double brightness, double contrast, double saturation, double hueShift) {}

  /**
   * Draws an order (a uniform permutation of the four ops) and the four factors, always five draws
   * and three swaps, so that a sample's later draws do not depend on the strengths.
   *
   * @param random the sample's random stream
   * @return the draw
   */
  public Draw sample(SplittableRandom random) {
    int[] order = {BRIGHTNESS, CONTRAST, SATURATION, HUE};
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return new Draw(
        order,
        factor(random, brightness),
        factor(random, contrast),
        factor(random, saturation),
        -hue + 2 * hue * random.nextDouble());
  }

  /**
   * Applies a draw to one image; an op whose strength is 0 is skipped.
   *
   * @param draw the order and factors
   * @param chw three planes of floats in [0, 1], changed in place
   * @param offset where the first plane starts
   * @param plane the pixels per plane
   */
  public void apply(Draw draw, float[] chw, int offset, int plane) {
    for (int op : draw.order()) {
      switch (op) {
        case BRIGHTNESS -> {
          if (brightness > 0) {
            brightness(chw, offset, plane, (float) draw.brightness());
          }
        }
        case CONTRAST -> {
          if (contrast > 0) {
            contrast(chw, offset, plane, (float) draw.contrast());
          }
        }
        case SATURATION -> {
          if (saturation > 0) {
            saturation(chw, offset, plane, (float) draw.saturation());
          }
        }
        default -> {
          if (hue > 0) {
            hue(chw, offset, plane, draw.hueShift());
          }
        }
      }
    }
  }

  /** Multiplies every channel by the factor. */
  static void brightness(float[] chw, int offset, int plane, float factor) {
    for (int i = offset; i < offset + 3 * plane; i++) {
      chw[i] = clamp(chw[i] * factor);
    }
  }

  /** Blends every channel with the mean grey level of the whole image. */
  static void contrast(float[] chw, int offset, int plane, float factor) {
    double sum = 0;
    for (int p = offset; p < offset + plane; p++) {
      sum += grey(chw, p, plane);
    }
    float mean = (float) (sum / plane);
    float towards = (1 - factor) * mean;
    for (int i = offset; i < offset + 3 * plane; i++) {
      chw[i] = clamp(factor * chw[i] + towards);
    }
  }

  /** Blends every pixel with its own grey level. */
  static void saturation(float[] chw, int offset, int plane, float factor) {
    for (int p = offset; p < offset + plane; p++) {
      float towards = (1 - factor) * grey(chw, p, plane);
      chw[p] = clamp(factor * chw[p] + towards);
      chw[p + plane] = clamp(factor * chw[p + plane] + towards);
      chw[p + 2 * plane] = clamp(factor * chw[p + 2 * plane] + towards);
    }
  }

  /** Rotates every pixel's hue by the shift, a fraction of a full turn, keeping S and V. */
  static void hue(float[] chw, int offset, int plane, double shift) {
    Hsv.rotate(chw, offset, plane, shift);
  }

  private static float grey(float[] chw, int p, int plane) {
    return RED_LUMA * chw[p] + GREEN_LUMA * chw[p + plane] + BLUE_LUMA * chw[p + 2 * plane];
  }

  private static double factor(SplittableRandom random, double strength) {
    double low = Math.max(0, 1 - strength);
    return low + (1 + strength - low) * random.nextDouble();
  }

  static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }
}
