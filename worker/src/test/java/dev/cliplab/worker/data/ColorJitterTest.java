package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ColorJitterTest {

  private static final float EPS = 1e-6f;

  /** Channel planes of the given RGB pixels. */
  private static float[] planes(float[]... pixels) {
    int n = pixels.length;
    float[] chw = new float[3 * n];
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < 3; c++) {
        chw[c * n + p] = pixels[p][c];
      }
    }
    return chw;
  }

  private static float[] pixel(float[] chw, int n, int p) {
    return new float[] {chw[p], chw[n + p], chw[2 * n + p]};
  }

  @Test
  @DisplayName("brightness multiplies every channel and clamps at 1")
  void brightness() {
    float[] chw = planes(new float[] {0.2f, 0.4f, 0.6f});
    ColorJitter.brightness(chw, 0, 1, 1.5f);
    assertThat(chw).containsExactly(new float[] {0.3f, 0.6f, 0.9f}, within(EPS));
    ColorJitter.brightness(chw, 0, 1, 2f);
    assertThat(chw).containsExactly(new float[] {0.6f, 1f, 1f}, within(EPS));
  }

  @Test
  @DisplayName("contrast blends with the mean grey level of the whole image")
  void contrast() {
    // grey(red) = 0.299, grey(blue) = 0.114, mean 0.2065; at 0.5 each channel becomes
    // 0.5 c + 0.5 * 0.2065 = 0.5 c + 0.10325
    float[] chw = planes(new float[] {1, 0, 0}, new float[] {0, 0, 1});
    ColorJitter.contrast(chw, 0, 2, 0.5f);
    assertThat(pixel(chw, 2, 0))
        .containsExactly(new float[] {0.60325f, 0.10325f, 0.10325f}, within(EPS));
    assertThat(pixel(chw, 2, 1))
        .containsExactly(new float[] {0.10325f, 0.10325f, 0.60325f}, within(EPS));

    // white and black average to grey 0.5; factor 0 makes both that grey
    float[] bw = planes(new float[] {1, 1, 1}, new float[] {0, 0, 0});
    ColorJitter.contrast(bw, 0, 2, 0f);
    assertThat(bw).containsOnly(0.5f);
  }

  @Test
  @DisplayName("saturation blends each pixel with its grey level, weights 0.299, 0.587, 0.114")
  void saturation() {
    // grey(0.2, 0.4, 0.6) = 0.0598 + 0.2348 + 0.0684 = 0.363; at 2: 2c - 0.363
    float[] chw = planes(new float[] {0.2f, 0.4f, 0.6f}, new float[] {1, 0, 0});
    ColorJitter.saturation(chw, 0, 2, 2f);
    assertThat(pixel(chw, 2, 0)).containsExactly(new float[] {0.037f, 0.437f, 0.837f}, within(EPS));
    assertThat(pixel(chw, 2, 1)).containsExactly(new float[] {1f, 0f, 0f}, within(EPS));

    float[] red = planes(new float[] {1, 0, 0});
    ColorJitter.saturation(red, 0, 1, 0f);
    assertThat(red).containsExactly(new float[] {0.299f, 0.299f, 0.299f}, within(EPS));
  }

  @Test
  @DisplayName("a hue shift of a third of a turn makes pure red green, and greys stay grey")
  void hue() {
    float[] chw = planes(new float[] {1, 0, 0}, new float[] {0.5f, 0.5f, 0.5f});
    ColorJitter.hue(chw, 0, 2, 1.0 / 3);
    assertThat(pixel(chw, 2, 0)).containsExactly(new float[] {0, 1, 0}, within(EPS));
    assertThat(pixel(chw, 2, 1)).containsExactly(new float[] {0.5f, 0.5f, 0.5f}, within(EPS));

    // orange (1, 0.5, 0) has hue 1/12; half a turn on, 7/12, is (0, 0.5, 1) at the same S and V
    float[] orange = planes(new float[] {1, 0.5f, 0});
    ColorJitter.hue(orange, 0, 1, 0.5);
    assertThat(orange).containsExactly(new float[] {0, 0.5f, 1}, within(EPS));

    // minus a third of a turn wraps round to blue
    float[] red = planes(new float[] {1, 0, 0});
    ColorJitter.hue(red, 0, 1, -1.0 / 3);
    assertThat(red).containsExactly(new float[] {0, 0, 1}, within(EPS));
  }

  @Test
  @DisplayName("draws factors in range and every order of the four ops")
  void drawsInRange() {
    ColorJitter jitter = ColorJitter.of(0.4);
    Set<String> orders = new HashSet<>();
    for (int seed = 0; seed < 1000; seed++) {
      ColorJitter.Draw draw = jitter.sample(new SplittableRandom(seed));
      assertThat(draw.brightness()).isBetween(0.6, 1.4);
      assertThat(draw.contrast()).isBetween(0.6, 1.4);
      assertThat(draw.saturation()).isBetween(0.6, 1.4);
      assertThat(draw.hueShift()).isBetween(-0.1, 0.1);
      int[] sorted = draw.order().clone();
      Arrays.sort(sorted);
      assertThat(sorted).containsExactly(0, 1, 2, 3);
      orders.add(Arrays.toString(draw.order()));
    }
    assertThat(orders).hasSize(24);
  }

  @Test
  @DisplayName("ops apply in the drawn order: brightness before contrast clamps differently")
  void appliesInOrder() {
    ColorJitter jitter = ColorJitter.of(1);
    float[] brightFirst = planes(new float[] {0.6f, 0.6f, 0.6f}, new float[] {0.2f, 0.2f, 0.2f});
    float[] contrastFirst = brightFirst.clone();
    // brightness 2: 1.2 clamps to 1, and 0.4; mean 0.7; contrast 0.5: 0.85 and 0.55
    jitter.apply(new ColorJitter.Draw(new int[] {0, 1, 2, 3}, 2, 0.5, 1, 0), brightFirst, 0, 2);
    // contrast 0.5 around 0.4: 0.5 and 0.3; brightness 2: 1 and 0.6
    jitter.apply(new ColorJitter.Draw(new int[] {1, 0, 2, 3}, 2, 0.5, 1, 0), contrastFirst, 0, 2);
    assertThat(brightFirst)
        .containsExactly(new float[] {0.85f, 0.55f, 0.85f, 0.55f, 0.85f, 0.55f}, within(EPS));
    assertThat(contrastFirst)
        .containsExactly(new float[] {1f, 0.6f, 1f, 0.6f, 1f, 0.6f}, within(EPS));
  }
}
