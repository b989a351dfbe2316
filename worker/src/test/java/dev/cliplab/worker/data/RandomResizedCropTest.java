package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {

  /** A square image whose pixel (y, x) is (10y + x, 100 + x, 200 - y), height-width-channel. */
  private static byte[] numbered(int side) {
    byte[] hwc = new byte[3 * side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int at = (y * side + x) * 3;
        hwc[at] = (byte) (10 * y + x);
        hwc[at + 1] = (byte) (100 + x);
        hwc[at + 2] = (byte) (200 - y);
      }
    }
    return hwc;
  }

  /** A square image whose every row is the given red levels; green and blue are 0. */
  private static byte[] rows(int... red) {
    int side = red.length;
    byte[] hwc = new byte[3 * side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        hwc[(y * side + x) * 3] = (byte) red[x];
      }
    }
    return hwc;
  }

  private static float[] redRow(float[] chw, int side, int y) {
    float[] row = new float[side];
    System.arraycopy(chw, y * side, row, 0, side);
    return row;
  }

  @Test
  @DisplayName("at area scale 1 a square image is cropped whole, and the resize is the identity")
  void scaleOneIsTheIdentity() {
    byte[] image = numbered(12);
    for (int seed = 0; seed < 50; seed++) {
      CropBox box = RandomResizedCrop.sample(12, 12, 1.0, new SplittableRandom(seed));
      assertThat(box).isEqualTo(CropBox.whole(12));
    }
    float[] out = new float[3 * 144];
    RandomResizedCrop.resize(image, 12, CropBox.whole(12), false, 12, out, 0);
    for (int p = 0; p < 144; p++) {
      assertThat(out[p]).isEqualTo((image[3 * p] & 0xff) / 255f);
      assertThat(out[144 + p]).isEqualTo((image[3 * p + 1] & 0xff) / 255f);
      assertThat(out[288 + p]).isEqualTo((image[3 * p + 2] & 0xff) / 255f);
    }
  }

  @Test
  @DisplayName("a crop box the size of the output yields exactly the pixels inside it")
  void cropBoxYieldsItsPixels() {
    byte[] image = numbered(10);
    float[] out = new float[3 * 16];
    // rows 2..5, columns 3..6: red 10y + x, green 100 + x, blue 200 - y
    RandomResizedCrop.resize(image, 10, new CropBox(2, 3, 4, 4), false, 4, out, 0);
    assertThat(out[0] * 255).isCloseTo(23, within(1e-4f));
    assertThat(out[3] * 255).isCloseTo(26, within(1e-4f));
    assertThat(out[15] * 255).isCloseTo(56, within(1e-4f));
    assertThat(out[16 + 5] * 255).isCloseTo(104, within(1e-4f));
    assertThat(out[32 + 15] * 255).isCloseTo(195, within(1e-4f));

    float[] mirrored = new float[3 * 16];
    RandomResizedCrop.resize(image, 10, new CropBox(2, 3, 4, 4), true, 4, mirrored, 0);
    assertThat(mirrored[0]).isEqualTo(out[3]);
    assertThat(mirrored[15]).isEqualTo(out[12]);
  }

  @Test
  @DisplayName("halving uses the triangle filter widened to two pixels, cut at the crop's edge")
  void shrinksWithAWideTriangle() {
    // Output 0 is centred at 1.0 and weighs sources 0, 1, 2 by 0.75, 0.75, 0.25 (sum 1.75):
    // (0 * 3 + 70 * 3 + 140) / 7 = 50. Output 1, centred at 3.0, weighs sources 1, 2, 3 by
    // 0.25, 0.75, 0.75: (70 * 0.25 + 140 * 0.75 + 210 * 0.75) / 1.75 = 160.
    float[] out = new float[3 * 4];
    RandomResizedCrop.resize(rows(0, 70, 140, 210), 4, CropBox.whole(4), false, 2, out, 0);
    assertThat(redRow(out, 2, 0))
        .containsExactly(new float[] {50 / 255f, 160 / 255f}, within(1e-6f));
    assertThat(redRow(out, 2, 1))
        .containsExactly(new float[] {50 / 255f, 160 / 255f}, within(1e-6f));
  }

  @Test
  @DisplayName("doubling interpolates between pixel centres")
  void growsBilinearly() {
    // Output centres 0.25, 0.75, 1.25, 1.75 fall between source centres 0.5 and 1.5:
    // 0, 0.75 * 0 + 0.25 * 200 = 50, 0.25 * 0 + 0.75 * 200 = 150, 200.
    float[] out = new float[3 * 16];
    RandomResizedCrop.resize(rows(0, 200), 2, CropBox.whole(2), false, 4, out, 0);
    assertThat(redRow(out, 4, 2))
        .containsExactly(new float[] {0, 50 / 255f, 150 / 255f, 200 / 255f}, within(1e-6f));
  }

  @Test
  @DisplayName("boxes lie inside the image with the drawn area and aspect ratio, and vary")
  void boxesFollowTheRanges() {
    Set<CropBox> seen = new HashSet<>();
    for (int seed = 0; seed < 2000; seed++) {
      CropBox box = RandomResizedCrop.sample(64, 64, 0.2, new SplittableRandom(seed));
      assertThat(box.top() + box.height()).isLessThanOrEqualTo(64);
      assertThat(box.left() + box.width()).isLessThanOrEqualTo(64);
      // rounding each side to a whole pixel moves the area by at most about one side's length
      assertThat(box.width() * box.height()).isGreaterThanOrEqualTo((int) (0.2 * 4096) - 64);
      double ratio = (double) box.width() / box.height();
      assertThat(ratio).isBetween(0.75 * 0.95, 4.0 / 3 / 0.95);
      seen.add(box);
    }
    assertThat(seen.size()).isGreaterThan(1000);
    CropBox again = RandomResizedCrop.sample(64, 64, 0.2, new SplittableRandom(7));
    assertThat(RandomResizedCrop.sample(64, 64, 0.2, new SplittableRandom(7))).isEqualTo(again);
  }

  @Test
  @DisplayName("the fallback is the largest centred box within the ratio range")
  void fallsBackToACentreCrop() {
    // width / height 3 is above 4/3: keep the height, width round(10 * 4/3) = 13
    assertThat(RandomResizedCrop.centre(10, 30)).isEqualTo(new CropBox(0, 8, 10, 13));
    // 1/3 is below 3/4: keep the width, height round(10 / 0.75) = 13
    assertThat(RandomResizedCrop.centre(30, 10)).isEqualTo(new CropBox(8, 0, 13, 10));
    assertThat(RandomResizedCrop.centre(9, 10)).isEqualTo(new CropBox(0, 0, 9, 10));
  }
}
