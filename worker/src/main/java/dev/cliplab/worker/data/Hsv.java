package dev.cliplab.worker.data;

/**
 * Hue rotation in HSV space, as torchvision's {@code adjust_hue} computes it on tensors, written
 * for speed: it is the costliest op of a training image's augmentation.
 *
 * <p>Saturation and value stay, so with {@code V = max}, chroma {@code C = max - min} and the hue
 * measured in sixths of a turn, the rotated colour's channels are {@code V}, {@code V - C} and one
 * in between, without a round trip through S.
 */
final class Hsv {

  private static final int SIXTHS = 6;

  private Hsv() {}

  /**
   * Rotates every pixel's hue in place.
   *
   * @param chw three planes of floats in [0, 1]
   * @param offset where the first plane starts
   * @param plane the pixels per plane
   * @param shift the rotation, as a fraction of a full turn, in [-0.5, 0.5]
   */
  static void rotate(float[] chw, int offset, int plane, double shift) {
    float turn = (float) (shift * SIXTHS);
    for (int p = offset; p < offset + plane; p++) {
      float r = chw[p];
      float g = chw[p + plane];
      float b = chw[p + 2 * plane];
      float max = Math.max(r, Math.max(g, b));
      float chroma = max - Math.min(r, Math.min(g, b));
      if (chroma == 0) {
        continue; // a grey has no hue to turn
      }
      float hue = turn + sixths(r, g, b, max, chroma);
      // the hue lies in [-1, 5) and the turn in [-3, 3], so one wrap suffices
      if (hue < 0) {
        hue += SIXTHS;
      } else if (hue >= SIXTHS) {
        hue -= SIXTHS;
      }
      int sector = Math.min((int) hue, SIXTHS - 1);
      float fraction = hue - sector;
      float low = max - chroma;
      float falling = max - chroma * fraction;
      float rising = max - chroma * (1 - fraction);
      switch (sector) {
        case 0 -> set(chw, p, plane, max, rising, low);
        case 1 -> set(chw, p, plane, falling, max, low);
        case 2 -> set(chw, p, plane, low, max, rising);
        case 3 -> set(chw, p, plane, low, falling, max);
        case 4 -> set(chw, p, plane, rising, low, max);
        default -> set(chw, p, plane, max, low, falling);
      }
    }
  }

  /** The hue in sixths of a turn, in [-1, 5): red 0, yellow 1, green 2, cyan 3, blue 4. */
  private static float sixths(float r, float g, float b, float max, float chroma) {
    if (max == r) {
      return (g - b) / chroma;
    }
    if (max == g) {
      return 2 + (b - r) / chroma;
    }
    return 4 + (r - g) / chroma;
  }

  private static void set(float[] chw, int p, int plane, float r, float g, float b) {
    chw[p] = r;
    chw[p + plane] = g;
    chw[p + 2 * plane] = b;
  }
}
