package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AugmenterTest {

  private static byte[] randomImage(int side, long seed) {
    byte[] hwc = new byte[3 * side * side];
    new Random(seed).nextBytes(hwc);
    return hwc;
  }

  @Test
  @DisplayName(
      "the plain augmenter gives the pixel cache's values, draws nothing, mirrors on request")
  void plainIsTheCachedImage() {
    int side = 6;
    byte[] image = randomImage(side, 1);
    float[] out = new float[2 + 3 * side * side];
    SplittableRandom random = new SplittableRandom(5);
    Augmenter.plain(side).apply(image, side, false, random, out, 2);
    assertThat(random.nextLong()).isEqualTo(new SplittableRandom(5).nextLong());
    int plane = side * side;
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        assertThat(out[2 + c * plane + p]).isEqualTo((image[3 * p + c] & 0xff) / 127.5f - 1f);
      }
    }

    float[] mirrored = new float[3 * plane];
    Augmenter.plain(side).apply(image, side, true, random, mirrored, 0);
    // row 4, column 1 of the mirror is row 4, column 4 of the original, in every channel
    for (int c = 0; c < 3; c++) {
      assertThat(mirrored[c * plane + 4 * side + 1]).isEqualTo(out[2 + c * plane + 4 * side + 4]);
    }
  }

  @Test
  @DisplayName("the same random stream gives the same pixels, another stream other pixels")
  void deterministicPerStream() {
    byte[] image = randomImage(16, 2);
    Augmenter augmenter = Augmenter.random(8, 0.2, 0.4);
    float[] a = new float[3 * 64];
    float[] b = new float[3 * 64];
    float[] c = new float[3 * 64];
    augmenter.apply(image, 16, false, new SplittableRandom(11), a, 0);
    augmenter.apply(image, 16, false, new SplittableRandom(11), b, 0);
    augmenter.apply(image, 16, false, new SplittableRandom(12), c, 0);
    assertThat(b).containsExactly(a);
    assertThat(c).isNotEqualTo(a);
    for (float v : a) {
      assertThat(v).isBetween(-1f, 1f);
    }
  }

  @Test
  @DisplayName("with area scale 1 and no jitter, a random augmenter only resizes the whole image")
  void noRandomnessLeftIsPlain() {
    byte[] image = randomImage(8, 3);
    float[] plain = new float[3 * 64];
    Augmenter.plain(8).apply(image, 8, false, new SplittableRandom(0), plain, 0);
    for (int seed = 0; seed < 20; seed++) {
      float[] out = new float[3 * 64];
      Augmenter.random(8, 1.0, 0).apply(image, 8, false, new SplittableRandom(seed), out, 0);
      assertThat(out).containsExactly(plain, within(1e-6f));
    }
  }

  @Test
  @DisplayName("about four images in five are colour-jittered")
  void jittersWithProbabilityFourFifths() {
    byte[] image = randomImage(8, 4);
    float[] plain = new float[3 * 64];
    Augmenter.plain(8).apply(image, 8, false, new SplittableRandom(0), plain, 0);
    int jittered = 0;
    for (int seed = 0; seed < 1000; seed++) {
      float[] out = new float[3 * 64];
      Augmenter.random(8, 1.0, 0.4).apply(image, 8, false, new SplittableRandom(seed), out, 0);
      if (Math.abs(out[0] - plain[0]) > 1e-5f || Math.abs(out[100] - plain[100]) > 1e-5f) {
        jittered++;
      }
    }
    // binomial(1000, 0.8): mean 800, standard deviation 12.6; a jittered image whose two probed
    // pixels both stay put is rare (all four factors near 1)
    assertThat(jittered).isBetween(740, 850);
  }
}
